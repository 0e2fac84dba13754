package io.seqcast.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.errors.DeadLetters;
import io.seqcast.event.EventJson;
import io.seqcast.kernel.FusedKernel;
import io.seqcast.kernel.FusedWeights;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.replay.CsvSeries;
import io.seqcast.topology.TopologyFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The events the engine publishes for a fixed input are byte for byte those of the golden file
 * {@code golden/replay-output.txt.gz}, written by the engine before the per-series step was split into stages and
 * rewritten since for deliberate changes of the outputs (per-series learning; issue 18's anomaly score): the
 * bundled machines, demand and stocks pipelines with the bundled model (scalar kernel, the same in every JVM), fed
 * real series (NAB machine metrics and taxi demand, an artificial NAB series with anomalies, two stocks) interleaved,
 * with a short gap (imputed), a long gap (reset), a duplicate and a late record cut into one series. Every forecast,
 * alert and dead letter, in order, as {@code kind key digest}: the digest is the first 64 bits of the SHA-256 of the
 * event's line {@code kind key value} (value: the event's JSON; a dead letter's reason and original bytes), so the file
 * stays small while any changed byte changes it; a failure prints the new event in full.
 *
 * <p>A deliberate change of the outputs rewrites the file: {@code ./mvnw -o test -Dtest=GoldenOutputTest
 * -Dseqcast.golden.write=true}, and the diff of the file is the change to review.
 */
class GoldenOutputTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/replay-output.txt.gz");
    static final HexFormat HEX = HexFormat.of();
    static final int ROWS = 1200;

    @TempDir
    Path dir;

    record Feed(String topic, CsvSeries series) {}

    static List<Feed> feeds(List<PipelineConfig> pipelines) throws IOException {
        String machines = topic(pipelines, "machines");
        List<Feed> feeds = new ArrayList<>();
        feeds.add(new Feed(machines, nab("realKnownCause/machine_temperature_system_failure.csv")));
        feeds.add(new Feed(machines, withDisorder(nab("realKnownCause/ec2_request_latency_system_failure.csv"))));
        feeds.add(new Feed(machines, nab("artificialWithAnomaly/art_daily_jumpsup.csv")));
        feeds.add(new Feed(topic(pipelines, "demand"), nab("realKnownCause/nyc_taxi.csv")));
        String stocks = topic(pipelines, "stocks");
        feeds.add(
                new Feed(stocks, CsvSeries.read(Path.of("data/stocks/GOOGL.csv"), "GOOGL", "date", List.of("close"))));
        feeds.add(new Feed(stocks, CsvSeries.read(Path.of("data/stocks/AAPL.csv"), "AAPL", "date", List.of("close"))));
        return feeds;
    }

    static CsvSeries nab(String file) throws IOException {
        Path p = Path.of("data/nab/data", file);
        return CsvSeries.read(p, CsvSeries.nameOf(p), "timestamp", List.of("value"));
    }

    /** The series with rows 400-403 dropped (a gap imputed), 600-659 dropped (a gap reset), a duplicate and a late row. */
    static CsvSeries withDisorder(CsvSeries s) {
        List<Long> times = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int i = 0; i < Math.min(ROWS, s.size()); i++) {
            if ((i >= 400 && i < 404) || (i >= 600 && i < 660)) {
                continue;
            }
            times.add(s.times()[i]);
            values.add(s.values()[i]);
            if (i == 700) {
                times.add(s.times()[i]); // duplicate
                values.add(s.values()[i]);
            }
            if (i == 800) {
                times.add(s.times()[i - 5]); // late
                values.add(s.values()[i - 5]);
            }
        }
        return new CsvSeries(
                s.name(), times.stream().mapToLong(Long::longValue).toArray(), values.toArray(new double[0][]));
    }

    static String topic(List<PipelineConfig> pipelines, String name) {
        return pipelines.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow()
                .input()
                .topic();
    }

    /** The engine's outputs for the fixed input, one line per event. */
    List<String> replay() throws IOException {
        return replay(PipelineConfig.StateStore.ROCKSDB);
    }

    /** {@link #replay()} with the pipelines' state in stores of kind {@code store}. */
    List<String> replay(PipelineConfig.StateStore store) throws IOException {
        List<PipelineConfig> pipelines = PipelineFiles.load(Path.of("topology")).stream()
                .filter(p -> List.of("machines", "demand", "stocks").contains(p.name()))
                .map(p -> p.withStore(store))
                .toList();
        ModelArtifact artifact = ModelArtifact.read(pipelines.get(0).modelArtifact());
        SequenceModel model = new FusedKernel(FusedWeights.fromNetwork(
                artifact.network(),
                artifact.metadata().name(),
                artifact.metadata().version()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "golden");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        List<String> lines = new ArrayList<>();
        List<Feed> feeds = feeds(pipelines);
        PipelineConfig any = pipelines.get(0);
        try (TopologyTestDriver driver =
                new TopologyTestDriver(TopologyFactory.build(pipelines, p -> model, EngineMetrics.inMemory()), props)) {
            List<TestInputTopic<byte[], byte[]>> inputs = new ArrayList<>();
            for (Feed f : feeds) {
                inputs.add(driver.createInputTopic(f.topic(), new ByteArraySerializer(), new ByteArraySerializer()));
            }
            TestOutputTopic<String, byte[]> forecasts = driver.createOutputTopic(
                    any.output().forecasts(), new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> alerts = driver.createOutputTopic(
                    any.output().alerts(), new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic(
                    any.output().deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (int row = 0; row < ROWS; row++) {
                for (int i = 0; i < feeds.size(); i++) {
                    CsvSeries s = feeds.get(i).series();
                    if (row < s.size()) {
                        inputs.get(i)
                                .pipeInput(
                                        s.name().getBytes(StandardCharsets.UTF_8),
                                        EventJson.encodeObservation(s.name(), s.times()[row], s.values()[row]));
                    }
                }
                for (TestRecord<String, byte[]> r : forecasts.readRecordsToList()) {
                    lines.add("forecast " + r.key() + " " + new String(r.value(), StandardCharsets.UTF_8));
                }
                for (TestRecord<String, byte[]> r : alerts.readRecordsToList()) {
                    lines.add("alert " + r.key() + " " + new String(r.value(), StandardCharsets.UTF_8));
                }
                for (TestRecord<byte[], byte[]> r : deadLetters.readRecordsToList()) {
                    lines.add("dead-letter " + new String(r.key(), StandardCharsets.UTF_8) + " "
                            + DeadLetters.header(r.headers(), DeadLetters.REASON) + " "
                            + new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return lines;
    }

    /** {@code kind key digest} of an event line {@code kind key value}. */
    static String digest(String line) {
        String[] parts = line.split(" ", 3);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8));
            return parts[0] + " " + parts[1] + " " + HEX.formatHex(sha, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Either kind of state store (state.store: rocksdb, the default, or memory) publishes the same events. */
    @ParameterizedTest
    @EnumSource(PipelineConfig.StateStore.class)
    void shouldPublishExactlyTheGoldenEventsForTheFixedInput(PipelineConfig.StateStore store) throws IOException {
        List<String> events = replay(store);
        List<String> actual = events.stream().map(GoldenOutputTest::digest).toList();
        if (Boolean.getBoolean("seqcast.golden.write")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(GOLDEN));
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                for (String line : actual) {
                    w.write(line);
                    w.write('\n');
                }
            }
            fail("golden file rewritten with " + actual.size() + " events: review its diff, then run without"
                    + " -Dseqcast.golden.write");
        }
        List<String> expected = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(GOLDEN)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                expected.add(line);
            }
        }
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(
                    expected.get(i),
                    actual.get(i),
                    "event " + i + " differs from the golden file; it is now " + events.get(i));
        }
        assertEquals(expected.size(), actual.size(), "events published");
    }
}
