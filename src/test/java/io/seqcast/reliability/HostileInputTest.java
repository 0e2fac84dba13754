package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.seqcast.app.Engine;
import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetters;
import io.seqcast.errors.Reason;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.reliability.HostileRecords.Input;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Hostile input never stops the engine: every record yields exactly one forecast or one dead-letter record (original
 * bytes, a reason, a detail), every invalid record is dead-lettered, every published forecast is a readable event with
 * finite numbers, and the counts reconcile: records in = forecasts + dead letters, in the meters and in the topics.
 */
class HostileInputTest {

    private static final Set<String> REASONS =
            Arrays.stream(Reason.values()).map(Reason::code).collect(Collectors.toSet());

    private static Path stateDir;
    private static Driver driver;
    private static long piped;

    @BeforeContainer
    static void startDriver() throws IOException {
        stateDir = Files.createTempDirectory("hostile-input");
        driver = new Driver(TestPipelines.stateful(), new TinyModel(1, 8, 3), stateDir);
    }

    @AfterContainer
    static void closeDriver() throws IOException {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<Input> hostile() {
        return HostileRecords.any();
    }

    @Property(tries = 300)
    void shouldDeadLetterEveryBadRecordWithItsReasonAndKeepServing(
            @ForAll @Size(max = 25) List<@From("hostile") Input> records) {
        for (Input in : records) {
            driver.input.pipeInput(in.key(), in.value());
            piped++;
            List<byte[]> forecasts = driver.forecasts.readValuesToList();
            driver.alerts.readValuesToList();
            List<TestRecord<byte[], byte[]>> dead = driver.readDeadLetters();
            assertEquals(1, forecasts.size() + dead.size(), () -> "one output for " + in);
            if (in.mustRefuse()) {
                assertEquals(1, dead.size(), () -> "dead-lettered: " + in);
            }
            if (dead.size() == 1) {
                TestRecord<byte[], byte[]> d = dead.get(0);
                String reason = DeadLetters.header(d.headers(), DeadLetters.REASON);
                assertTrue(REASONS.contains(reason), () -> "reason " + reason + " of " + in);
                assertNotNull(DeadLetters.header(d.headers(), DeadLetters.DETAIL), in::toString);
                assertArrayEquals(in.key(), d.key(), "original key");
                assertArrayEquals(in.value(), d.value(), "original value");
            } else {
                assertReadableAndFinite(forecasts.get(0), in);
            }
        }
        assertReconciled(driver.metrics, piped);
    }

    static void assertReadableAndFinite(byte[] json, Input in) {
        Forecast f = EventJson.decodeForecast(json);
        assertTrue(
                Double.isFinite(f.observed()) && Double.isFinite(f.anomalyScore()), () -> "finite: " + f + " of " + in);
        Stream.concat(Stream.ofNullable(f.expected()), f.steps().stream())
                .forEach(s -> assertTrue(finite(s), () -> "finite forecast step " + s + " for " + in));
    }

    private static boolean finite(ForecastStep s) {
        return Double.isFinite(s.value()) && Double.isFinite(s.lower()) && Double.isFinite(s.upper());
    }

    /** Meters: received = forecasts + dead letters (all reasons). */
    static void assertReconciled(EngineMetrics metrics, long in) {
        double received = metrics.count("seqcast.observations.received");
        assertEquals(in, received, 0.0, "received");
        assertEquals(received, outcomes(metrics), 0.0, "received = forecasts + dead letters");
    }

    /** Records whose processing ended: forecasts plus dead letters of every reason. */
    private static double outcomes(EngineMetrics metrics) {
        return metrics.count("seqcast.forecasts")
                + metrics.registry().find("seqcast.dead.letter").counters().stream()
                        .mapToDouble(Counter::count)
                        .sum();
    }

    @Property(tries = 1, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void shouldReconcileRecordsInWithForecastsAndDeadLettersOverTheBroker(
            @ForAll @Size(min = 400, max = 400) List<@From("hostile") Input> records) throws Exception {
        Path dir = Files.createTempDirectory("hostile-broker");
        PipelineConfig p =
                new Scenario("hostile-" + UUID.randomUUID().toString().substring(0, 8), 0, 0).pipeline();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 2),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", broker.bootstrapServers());
            settings.put("application.id", "hostile-" + UUID.randomUUID());
            settings.put("state.dir", dir.resolve("state").toString());
            settings.put("http.port", "0");
            try (Engine engine = Engine.start(
                    EngineConfig.from(Map.of("test", settings)), List.of(p), x -> new TinyModel(1, 8, 3))) {
                assertTrue(engine.awaitRunning(Duration.ofSeconds(60)));
                Map<String, Object> props = new HashMap<>(Map.of(
                        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        2 * 1024 * 1024));
                try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (Input in : records) {
                        producer.send(new ProducerRecord<>(p.input().topic(), in.key(), in.value()))
                                .get();
                    }
                }
                // a record is counted received when its processing starts and as a forecast or dead letter when
                // it ends: wait for the ends, not the starts, or the last record may be caught in between
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (outcomes(engine.metrics()) < records.size() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertReconciled(engine.metrics(), records.size());
                double forecastsCounted = engine.metrics().count("seqcast.forecasts");
                var forecasts = Topics.readCommitted(
                        broker.bootstrapServers(),
                        p.output().forecasts(),
                        (int) forecastsCounted,
                        Duration.ofSeconds(30));
                var dead = Topics.readCommitted(
                        broker.bootstrapServers(),
                        p.output().deadLetter(),
                        records.size() - (int) forecastsCounted,
                        Duration.ofSeconds(30));
                assertEquals(
                        records.size(),
                        forecasts.size() + dead.size(),
                        "records in = forecasts published + records dead-lettered");
                long mustRefuse = records.stream().filter(Input::mustRefuse).count();
                assertTrue(dead.size() >= mustRefuse, "every invalid record is dead-lettered");
                Map<String, Long> byReason = new TreeMap<>();
                for (ConsumerRecord<byte[], byte[]> r : dead) {
                    byReason.merge(DeadLetters.header(r.headers(), DeadLetters.REASON), 1L, Long::sum);
                }
                for (Reason reason : Reason.values()) {
                    assertEquals(
                            byReason.getOrDefault(reason.code(), 0L),
                            engine.metrics().count("seqcast.dead.letter", "reason", reason.code()),
                            0.0,
                            "dead letters of reason " + reason.code() + " in the topic and in the meter");
                }
                System.out.printf(
                        "hostile input over the broker: %d records in, %d forecasts, %d dead letters %s%n",
                        records.size(), forecasts.size(), dead.size(), byReason);
            }
        }
    }
}
