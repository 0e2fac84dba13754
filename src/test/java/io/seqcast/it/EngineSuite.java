package io.seqcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.app.Engine;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetters;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.EventJson;
import io.seqcast.event.FieldMapping;
import io.seqcast.event.Forecast;
import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.SequenceModel;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end against a real Kafka cluster. Subclasses choose the cluster: the embedded broker always,
 * a Testcontainers broker when Docker is present. The expected outputs come from the same pipeline run through
 * {@link Driver} (TopologyTestDriver), so the suite checks that the distributed run equals the in-memory one.
 */
abstract class EngineSuite {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final int SERIES = 4;
    static final int LENGTH = 160;
    static final SequenceModel MODEL =
            KernelModel.fromNetwork(Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, 3, 21)), "it", "1");

    @TempDir
    Path dir;

    abstract KafkaBackend backend();

    PipelineConfig pipeline(String prefix) {
        return TestPipelines.pipeline(
                "it",
                Path.of("it.yaml"),
                new PipelineConfig.Input(prefix + ".obs", FieldMapping.DEFAULT),
                new PipelineConfig.Sampling(Duration.ofMinutes(5), 1.5, PipelineConfig.GapPolicy.IMPUTE, 12),
                Path.of("unused.seqcast"),
                PipelineConfig.Mode.STATEFUL,
                new PipelineConfig.Window(16, 1),
                TestPipelines.forecast(3, 0.9),
                TestPipelines.anomaly(0.001, 1e-5, 30, 3),
                TestPipelines.output(prefix + ".forecasts", prefix + ".alerts", prefix + ".dlq"));
    }

    static double value(int series, int i) {
        double v = 40 + 8 * series + 3 * Math.sin(i / 6.0 + series) + ((i * 7919 + series * 31) % 11) / 22.0;
        return series == 1 && i == 120 ? v + 40 : v;
    }

    Engine start(PipelineConfig p, String applicationId, Path stateDir) throws InterruptedException {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", backend().bootstrapServers());
        settings.put("application.id", applicationId);
        settings.put("state.dir", stateDir.toString());
        settings.put("http.port", "0");
        settings.put("commit.interval.ms", "100");
        backend().clientProperties().forEach((k, v) -> settings.put("kafka." + k, v.toString()));
        Engine engine = Engine.start(EngineConfig.from(Map.of("test", settings)), List.of(p), x -> MODEL);
        assertTrue(engine.awaitRunning(Duration.ofSeconds(60)), "engine running");
        return engine;
    }

    void createTopics(PipelineConfig p) {
        backend()
                .createTopics(
                        TopicSpec.of(p.input().topic(), 3),
                        TopicSpec.of(p.output().forecasts(), 1),
                        TopicSpec.of(p.output().alerts(), 1),
                        TopicSpec.of(p.output().deadLetter(), 1));
    }

    void produce(PipelineConfig p, int from, int to, List<String[]> raw) {
        Map<String, Object> props = backend().connectionProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                for (int s = 0; s < SERIES; s++) {
                    producer.send(new ProducerRecord<>(
                            p.input().topic(),
                            ("s" + s).getBytes(StandardCharsets.UTF_8),
                            EventJson.encodeObservation("s" + s, T0 + i * STEP, value(s, i))));
                }
            }
            for (String[] r : raw) {
                producer.send(new ProducerRecord<>(
                        p.input().topic(),
                        r[0] == null ? null : r[0].getBytes(StandardCharsets.UTF_8),
                        r[1].getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        Map<String, Object> props = backend().connectionProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // anything beyond the expected count would be a duplicate: give it a moment to show up
            long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** What the same pipeline produces in memory, per series. */
    Map<String, List<Forecast>> reference(PipelineConfig p) {
        try (Driver d = new Driver(p, MODEL, dir.resolve("reference"))) {
            for (int i = 0; i < LENGTH; i++) {
                for (int s = 0; s < SERIES; s++) {
                    d.send("s" + s, T0 + i * STEP, value(s, i));
                }
            }
            return bySeries(d.readForecasts());
        }
    }

    static Map<String, List<Forecast>> bySeries(List<Forecast> forecasts) {
        Map<String, List<Forecast>> out = new HashMap<>();
        forecasts.forEach(
                f -> out.computeIfAbsent(f.series(), k -> new ArrayList<>()).add(f));
        return out;
    }

    static List<Forecast> forecasts(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> EventJson.decodeForecast(r.value())).toList();
    }

    @Test
    void shouldForecastAlertAndDeadLetterEndToEnd() throws Exception {
        PipelineConfig p = pipeline("e2e-" + UUID.randomUUID().toString().substring(0, 8));
        createTopics(p);
        List<String[]> bad = List.of(
                new String[] {"s0", "not json"},
                new String[] {"s0", "{\"series\":\"s0\",\"time\":1400000000000,\"value\":\"NaN\"}"},
                new String[] {null, "{\"series\":\"s0\",\"time\":1400000000000,\"value\":1}"});
        try (Engine engine = start(p, "it-" + UUID.randomUUID(), dir.resolve("state"))) {
            produce(p, 0, LENGTH, bad);
            var forecasts = consume(p.output().forecasts(), SERIES * LENGTH, Duration.ofSeconds(90));
            assertEquals(reference(p), bySeries(forecasts(forecasts)), "the cluster run equals the in-memory run");
            var alerts = consume(p.output().alerts(), 1, Duration.ofSeconds(10)).stream()
                    .map(r -> EventJson.decodeAlert(r.value()))
                    .toList();
            assertTrue(
                    alerts.stream()
                            .anyMatch(a -> a.series().equals("s1")
                                    && a.lifecycle() == AnomalyAlert.Lifecycle.OPENED
                                    && a.openedAt() == T0 + 120 * STEP),
                    alerts.toString());
            var dead = consume(p.output().deadLetter(), bad.size(), Duration.ofSeconds(10));
            assertEquals(
                    List.of("unparseable", "non-finite", "missing-key"),
                    dead.stream()
                            .map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                            .sorted(java.util.Comparator.comparingInt(
                                    List.of("unparseable", "non-finite", "missing-key")::indexOf))
                            .toList());
            assertEquals(SERIES * LENGTH, engine.metrics().count("seqcast.forecasts"), 0.0);
        }
    }

    @Test
    void shouldContinueAfterARestartAsIfUninterrupted() throws Exception {
        PipelineConfig p = pipeline("restart-" + UUID.randomUUID().toString().substring(0, 8));
        createTopics(p);
        String app = "it-" + UUID.randomUUID();
        int half = LENGTH / 2;
        try (Engine first = start(p, app, dir.resolve("state-1"))) {
            produce(p, 0, half, List.of());
            assertEquals(
                    SERIES * half,
                    consume(p.output().forecasts(), SERIES * half, Duration.ofSeconds(90))
                            .size());
        }
        // a new instance on another machine: empty local state, restored from the changelog
        Path elsewhere = Files.createDirectories(dir.resolve("state-2"));
        try (Engine second = start(p, app, elsewhere)) {
            produce(p, half, LENGTH, List.of());
            var all = consume(p.output().forecasts(), SERIES * LENGTH, Duration.ofSeconds(90));
            assertEquals(reference(p), bySeries(forecasts(all)), "no gap, no duplicate, the same numbers");
        }
    }
}
