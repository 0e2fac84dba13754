package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.app.Engine;
import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetters;
import io.seqcast.testing.TinyModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record the broker accepted can never stop the engine: refused records at and just below the broker's size limit
 * go to the dead-letter topic cut to fit (original size and digest in headers), and the engine goes on processing.
 */
class OversizeDeadLetterTest {

    /** The broker's default message.max.bytes: the largest record batch it accepts. */
    static final int BROKER_LIMIT = 1_048_588;
    /**
     * A value that makes a one-record batch of key "edge" exactly {@link #BROKER_LIMIT} bytes: 61 bytes of batch
     * header, 3 of record length, then attributes, timestamp and offset deltas (1 each), key length (1), the key (4),
     * value length (3), the value, and the header count (1).
     */
    static final int VALUE_AT_LIMIT = BROKER_LIMIT - 61 - 3 - 1 - 1 - 1 - 1 - 4 - 3 - 1;

    @TempDir
    Path dir;

    /** Not an observation (the value field is a huge string), {@code size} bytes long. */
    static byte[] refused(String series, int size) {
        String head = "{\"series\":\"" + series + "\",\"time\":1400000000000,\"value\":\"";
        String tail = "\"}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeadLetterRecordsAtTheBrokersLimitAndKeepProcessing() throws Exception {
        PipelineConfig p =
                new Scenario("oversize-" + UUID.randomUUID().toString().substring(0, 8), 0, 0).pipeline();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 1),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            try (Engine engine = start(broker, p);
                    var producer = producer(broker)) {
                byte[] big = refused("big", 1_048_400);
                byte[] edge = refused("edge", VALUE_AT_LIMIT);
                producer.send(new ProducerRecord<>(p.input().topic(), bytes("big"), big))
                        .get();
                producer.send(new ProducerRecord<>(p.input().topic(), bytes("edge"), edge))
                        .get();
                ExecutionException beyond = assertThrows(
                        ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>(
                                        p.input().topic(), bytes("edge"), refused("edge", VALUE_AT_LIMIT + 1)))
                                .get(),
                        "one byte more than the broker takes: the test's record is exactly at the limit");
                assertTrue(beyond.getCause() instanceof RecordTooLargeException, beyond.toString());
                producer.send(new ProducerRecord<>(p.input().topic(), Scenario.key(0), Scenario.observation(0, 0)))
                        .get();

                var dead = Topics.readCommitted(
                        broker.bootstrapServers(), p.output().deadLetter(), 2, Duration.ofSeconds(60));
                assertEquals(2, dead.size(), "both refused records dead-lettered");
                assertCutToFit(dead.get(0), "big", big);
                assertCutToFit(dead.get(1), "edge", edge);
                var forecasts = Topics.readCommitted(
                        broker.bootstrapServers(), p.output().forecasts(), 1, Duration.ofSeconds(60));
                assertEquals(1, forecasts.size(), "the record after them is processed");
                assertEquals(KafkaStreams.State.RUNNING, engine.state());
                assertEquals(2, engine.metrics().count("seqcast.dead.letter.truncated"), 0.0);
            }
        }
    }

    @Test
    void shouldCutDeadLettersFurtherWhenTheTopicsLimitIsLoweredWhileRunning() throws Exception {
        PipelineConfig p =
                new Scenario("lowered-" + UUID.randomUUID().toString().substring(0, 8), 0, 0).pipeline();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 1),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            try (Engine engine = start(broker, p);
                    var producer = producer(broker);
                    Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                // the engine read the topic's limit at start-up; lowering it now makes the broker refuse its copy
                admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(
                                        ConfigResource.Type.TOPIC, p.output().deadLetter()),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("max.message.bytes", "200000"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get();
                byte[] value = refused("mid", 500_000);
                producer.send(new ProducerRecord<>(p.input().topic(), bytes("mid"), value))
                        .get();
                producer.send(new ProducerRecord<>(p.input().topic(), Scenario.key(0), Scenario.observation(0, 0)))
                        .get();
                var dead = Topics.readCommitted(
                        broker.bootstrapServers(), p.output().deadLetter(), 1, Duration.ofSeconds(90));
                assertEquals(1, dead.size(), "dead-lettered once, cut to the lowered limit");
                assertCutToFit(dead.get(0), "mid", value);
                assertTrue(dead.get(0).value().length < 200_000);
                var forecasts = Topics.readCommitted(
                        broker.bootstrapServers(), p.output().forecasts(), 1, Duration.ofSeconds(60));
                assertEquals(1, forecasts.size(), "the record after it is processed");
                assertEquals(KafkaStreams.State.RUNNING, engine.state());
                assertTrue(engine.metrics()
                                .count(
                                        "seqcast.output.too.large",
                                        "topic",
                                        p.output().deadLetter())
                        >= 1);
            }
        }
    }

    private static void assertCutToFit(ConsumerRecord<byte[], byte[]> r, String key, byte[] original) {
        assertEquals(key, new String(r.key(), StandardCharsets.UTF_8));
        assertEquals("invalid-field", DeadLetters.header(r.headers(), DeadLetters.REASON));
        assertEquals("value", DeadLetters.header(r.headers(), DeadLetters.TRUNCATED));
        assertEquals(Integer.toString(original.length), DeadLetters.header(r.headers(), DeadLetters.VALUE_SIZE));
        assertEquals(DeadLetters.sha256(original), DeadLetters.header(r.headers(), DeadLetters.VALUE_SHA256));
        assertTrue(r.value().length > 0 && r.value().length < original.length);
        assertTrue(Arrays.equals(Arrays.copyOf(original, r.value().length), r.value()), "a prefix of the original");
    }

    private Engine start(EmbeddedKafkaBroker broker, PipelineConfig p) throws InterruptedException {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("application.id", "oversize-" + UUID.randomUUID());
        settings.put("state.dir", dir.resolve("state-" + UUID.randomUUID()).toString());
        settings.put("http.port", "0");
        // a replaced stream thread's consumer stays in the group until the session times out (45 s by default)
        settings.put("kafka.session.timeout.ms", "6000");
        Engine engine =
                Engine.start(EngineConfig.from(Map.of("test", settings)), List.of(p), x -> new TinyModel(1, 8, 3));
        assertTrue(engine.awaitRunning(Duration.ofSeconds(60)));
        return engine;
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(
                Map.of(
                        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        false,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        4 << 20),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
