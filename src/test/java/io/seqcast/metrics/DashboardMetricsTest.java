package io.seqcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.EventJson;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import io.seqcast.topology.TopologyFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric names are a contract between the engine and the dashboards. The golden file lists every metric the
 * dashboards query: a dashboard that starts using another metric, or stops using one, must update it; and the
 * engine must register every metric in it. (That every query also returns data in a real run is checked by
 * {@code .ci/checks/prometheus-dashboards.sh}.)
 */
class DashboardMetricsTest {

    private static final Path DASHBOARDS = Path.of("grafana/dashboards");
    private static final Path GOLDEN = Path.of("src/test/resources/golden/dashboard-metrics.txt");
    private static final Pattern METRIC =
            Pattern.compile("\\b(up|(?:seqcast|kafka|jvm|process|system)_[a-zA-Z0-9_]+)\\b");
    /** Made by Prometheus itself, not by the engine. */
    private static final Set<String> PROMETHEUS_MADE = Set.of("up");

    @TempDir
    Path stateDir;

    @Test
    void shouldListEveryMetricTheDashboardsQueryInTheGoldenFile() throws IOException {
        Set<String> queried = queriedMetrics();
        Set<String> golden = golden();
        assertEquals(
                golden,
                queried,
                "the dashboards query other metrics than " + GOLDEN
                        + " lists; when the change is intended, write the dashboards' list into it:\n"
                        + String.join("\n", queried));
    }

    @Test
    void shouldRegisterEveryMetricTheDashboardsQuery() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EngineBinders.bindJvm(registry);
        EngineMetrics metrics = new EngineMetrics(registry, SeriesWatch.of(List.of(), 10));
        PipelineConfig p = TestPipelines.stateful();
        Topology topology = TopologyFactory.build(List.of(p), x -> new TinyModel(1, 4, 3), metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "golden");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            var input =
                    driver.createInputTopic(p.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
            for (int i = 0; i < 60; i++) {
                input.pipeInput(
                        "s".getBytes(StandardCharsets.UTF_8),
                        EventJson.encodeObservation("s", 1_400_000_000_000L + i * 300_000L, Math.sin(i / 5.0)));
            }
        }
        // Kafka Streams' and its clients' metrics exist once the client is built; it is never started here
        Properties streamsProps = new Properties();
        streamsProps.putAll(props);
        streamsProps.put(
                StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("streams").toString());
        try (KafkaStreams streams = new KafkaStreams(
                TopologyFactory.build(List.of(p), x -> new TinyModel(1, 4, 3), EngineMetrics.inMemory()),
                streamsProps)) {
            AutoCloseable binder = EngineBinders.bindStreams(registry, streams);
            // the GC meters appear once a collection has been reported: collect until they do, for up to 10 s
            List<String> missing = List.of();
            long deadline = System.nanoTime() + 10_000_000_000L;
            do {
                System.gc();
                missing = missing(registry.scrape());
            } while (!missing.isEmpty() && System.nanoTime() < deadline);
            assertTrue(missing.isEmpty(), "the dashboards query metrics the engine does not register: " + missing);
            binder.close();
        }
    }

    static Set<String> queriedMetrics() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path f :
                    files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                collect(json.readTree(f.toFile()), names);
            }
        }
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isTextual()
                    && (e.getKey().equals("expr")
                            || e.getKey().equals("query")
                            || e.getKey().equals("definition"))) {
                Matcher m = METRIC.matcher(v.asText().replaceAll("\"[^\"]*\"", "\"\""));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        });
        node.elements().forEachRemaining(child -> collect(child, names));
    }

    private static Set<String> golden() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(GOLDEN)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.trim());
            }
        }
        return names;
    }

    /** The metrics the dashboards query that {@code scrape} lacks (those Prometheus makes itself aside). */
    private static List<String> missing(String scrape) throws Exception {
        List<String> missing = new ArrayList<>();
        for (String name : golden()) {
            if (!PROMETHEUS_MADE.contains(name)
                    && !Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find()) {
                missing.add(name);
            }
        }
        return missing;
    }
}
