package io.seqcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.app.Engine;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.EventJson;
import io.seqcast.event.FieldMapping;
import io.seqcast.event.Forecast;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelPublisher;
import io.seqcast.testing.TestPipelines;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model versions published to the models topic switch a running engine without a restart: states are kept when the
 * architecture is the same and reset (warming up) when it is not; broken or incompatible versions are refused and the
 * previous one stays served; rollback returns to the last earlier version the engine would serve, passing over the
 * ones it refused.
 */
class ModelHotSwapTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final String MODELS = "it.models";
    static KafkaBackend backend;

    @TempDir
    Path dir;

    int next;

    @BeforeAll
    static void startBroker() {
        backend = EmbeddedKafkaBackend.plaintext();
        backend.createTopics(new TopicSpec(
                MODELS,
                1,
                Map.of("cleanup.policy", "compact", "max.message.bytes", Integer.toString(16 * 1024 * 1024))));
    }

    @AfterAll
    static void stopBroker() {
        backend.close();
    }

    Path artifact(String version, List<Integer> layers, int horizon, long seed) throws Exception {
        var net = Networks.build(NetworkSpec.of(CellType.LSTM, layers, 1, horizon, seed));
        ModelInfo info = new ModelInfo("swap", version, CellType.LSTM, layers, 1, horizon);
        ModelMetadata metadata =
                ModelMetadata.of(info, List.of("value"), horizon, 0, Map.of(), "test", Map.of(), Instant.now());
        Path file = dir.resolve("swap-" + version + ".seqcast");
        ModelArtifact.of(net, metadata).write(file);
        return file;
    }

    /** A many-to-one forecaster over windows of 8 steps, horizon 3. */
    Path windowArtifact(String version) throws Exception {
        var net = Networks.build(new NetworkSpec(
                CellType.LSTM,
                List.of(8),
                1,
                3,
                0,
                0.01,
                null,
                0,
                6,
                io.seqcast.model.SequenceShape.MANY_TO_ONE,
                io.seqcast.training.OutputHead.REGRESSION,
                1));
        ModelInfo info = new ModelInfo("swap", version, CellType.LSTM, List.of(8), 1, 3);
        ModelMetadata metadata =
                ModelMetadata.of(info, List.of("value"), 3, 8, Map.of(), "test", Map.of(), Instant.now()).toBuilder()
                        .shape(io.seqcast.model.SequenceShape.MANY_TO_ONE)
                        .build();
        Path file = dir.resolve("swap-window-" + version + ".seqcast");
        ModelArtifact.of(net, metadata).write(file);
        return file;
    }

    @Test
    void shouldSwitchVersionsLiveRefuseBrokenOnesAndRollBack() throws Exception {
        String prefix = "swap-" + UUID.randomUUID().toString().substring(0, 8);
        PipelineConfig p = TestPipelines.pipeline(
                "swap",
                Path.of("swap.yaml"),
                new PipelineConfig.Input(prefix + ".obs", FieldMapping.DEFAULT),
                new PipelineConfig.Sampling(Duration.ofMinutes(5), 1.5, PipelineConfig.GapPolicy.IMPUTE, 12),
                Path.of("unused"),
                PipelineConfig.Mode.STATEFUL,
                new PipelineConfig.Window(8, 1),
                TestPipelines.forecast(3, 0.9),
                TestPipelines.anomaly(0.001, 1e-5, 5, 3),
                TestPipelines.output(prefix + ".forecasts", prefix + ".alerts", prefix + ".dlq"));
        backend.createTopics(
                TopicSpec.of(p.input().topic(), 2),
                TopicSpec.of(p.output().forecasts(), 1),
                TopicSpec.of(p.output().alerts(), 1),
                TopicSpec.of(p.output().deadLetter(), 1));
        SequenceModel fileModel =
                ModelArtifact.read(artifact("1", List.of(8), 3, 1)).toSequenceModel();
        Properties client = new Properties();
        client.putAll(backend.connectionProperties());
        Map<String, String> settings = Map.of(
                "bootstrap.servers",
                backend.bootstrapServers(),
                "application.id",
                prefix,
                "state.dir",
                dir.resolve("state").toString(),
                "http.port",
                "0",
                "models.topic",
                MODELS);
        try (Engine engine = Engine.start(EngineConfig.from(Map.of("test", settings)), List.of(p), x -> fileModel);
                ModelPublisher publisher = new ModelPublisher(client, MODELS);
                var consumer = consumer(p.output().forecasts())) {
            assertTrue(engine.awaitRunning(Duration.ofSeconds(60)));
            List<Forecast> seen = new ArrayList<>();
            feedUntil(p, consumer, seen, 20, f -> f.model().version().equals("1") && !f.warmingUp());

            publisher.publish("swap", artifact("1", List.of(8), 3, 1));
            publisher.publish("swap", artifact("2", List.of(8), 3, 2));
            Forecast first2 =
                    feedUntil(p, consumer, seen, 0, f -> f.model().version().equals("2"));
            assertFalse(first2.warmingUp(), "same architecture: hidden states kept, no warm-up");

            publisher.publish("swap", artifact("3", List.of(8), 1, 3)); // forecasts 1 step; the pipeline needs 3
            try (var producer = new KafkaProducer<>(
                    backend.connectionProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
                byte[] tampered = Files.readAllBytes(artifact("4", List.of(8), 3, 4));
                tampered[tampered.length / 2] ^= 0x5A;
                producer.send(new ProducerRecord<>(MODELS, "swap@4".getBytes(StandardCharsets.UTF_8), tampered));
                producer.send(new ProducerRecord<>(
                        MODELS,
                        "swap".getBytes(StandardCharsets.UTF_8),
                        "{\"active\":\"4\",\"history\":[\"1\",\"2\",\"3\"]}".getBytes(StandardCharsets.UTF_8)));
            }
            awaitCount(engine, "incompatible", 1);
            awaitCount(engine, "unreadable", 1);
            Forecast still = feedUntil(p, consumer, seen, 5, f -> true);
            assertEquals("2", still.model().version(), "refused versions leave version 2 served");

            publisher.publish("swap", artifact("5", List.of(16), 3, 5));
            Forecast first5 =
                    feedUntil(p, consumer, seen, 0, f -> f.model().version().equals("5"));
            assertTrue(first5.warmingUp(), "another architecture: hidden states reset, the series warms up again");

            // a many-to-one model over windows of 8 does not fit a stateful pipeline: refused by publish when it
            // knows the pipeline, and by the engine when published without the check
            byte[] window = Files.readAllBytes(windowArtifact("6"));
            IllegalArgumentException misfit = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> publisher.publish("swap", window, p));
            assertTrue(
                    misfit.getMessage().contains("is many-to-one over windows of 8; swap.yaml is stateful"),
                    misfit.getMessage());
            publisher.publish("swap", window);
            awaitCount(engine, "incompatible", 2);
            assertEquals("5", feedUntil(p, consumer, seen, 3, f -> true).model().version(), "6 refused, 5 served");

            // rollback goes to the last version the engine would serve, passing over those it refused
            ModelPublisher.Rollback back = publisher.rollback("swap", p);
            assertEquals("5", back.pointer().active());
            assertEquals(List.of(), back.skipped());
            back = publisher.rollback("swap", p);
            assertEquals("2", back.pointer().active(), "4 (tampered) and 3 (horizon 1) passed over");
            assertEquals(2, back.skipped().size(), back.skipped().toString());
            assertTrue(
                    back.skipped().get(0).startsWith("4: unreadable"),
                    back.skipped().toString());
            assertTrue(
                    back.skipped().get(1).startsWith("3: model swap 3 forecasts 1 steps"),
                    back.skipped().toString());
            assertEquals(List.of("1"), back.pointer().history());
            feedUntil(p, consumer, seen, 0, f -> f.model().version().equals("2"));
        }
    }

    private void awaitCount(Engine engine, String reason, double count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (engine.metrics().count("seqcast.model.refused", "reason", reason) < count) {
            assertTrue(System.nanoTime() < deadline, "model refusal (" + reason + ") counted");
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Sends observations of two series, one step at a time, until a forecast matches; returns it. */
    private Forecast feedUntil(
            PipelineConfig p,
            KafkaConsumer<byte[], byte[]> consumer,
            List<Forecast> seen,
            int atLeast,
            Predicate<Forecast> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int sent = 0;
        try (var producer = new KafkaProducer<>(
                backend.connectionProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            while (System.nanoTime() < deadline) {
                for (String s : List.of("a", "b")) {
                    producer.send(new ProducerRecord<>(
                            p.input().topic(),
                            s.getBytes(StandardCharsets.UTF_8),
                            EventJson.encodeObservation(s, T0 + next * STEP, 10 + Math.sin(next / 5.0))));
                }
                producer.flush();
                next++;
                sent++;
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    Forecast f = EventJson.decodeForecast(r.value());
                    seen.add(f);
                    if (sent > atLeast && done.test(f)) {
                        return f;
                    }
                }
            }
        }
        throw new AssertionError(
                "no matching forecast within 60 s; last: " + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Map<String, Object> props = backend.connectionProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "swap-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
