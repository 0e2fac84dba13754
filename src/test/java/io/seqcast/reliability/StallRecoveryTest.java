package io.seqcast.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.app.Engine;
import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.SequenceModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream that stops making progress while input waits (here a model step that hangs for 12 s, standing in for a
 * transaction stuck on OutOfOrderSequence retries) is noticed, reported by readiness, and Kafka Streams is restarted;
 * every observation is then forecast exactly once.
 */
class StallRecoveryTest {

    @TempDir
    Path dir;

    /** Delegates to a model; the first step after {@link #hang} is set sleeps for {@code millis}. */
    record HangingModel(SequenceModel delegate, AtomicBoolean hang, long millis) implements SequenceModel {
        @Override
        public ModelInfo info() {
            return delegate.info();
        }

        @Override
        public int stateSize() {
            return delegate.stateSize();
        }

        @Override
        public void step(int batch, float[] inputs, float[] states, float[] outputs) {
            if (hang.compareAndSet(true, false)) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.step(batch, inputs, states, outputs);
        }

        @Override
        public SequenceModel copy() {
            return new HangingModel(delegate.copy(), hang, millis);
        }
    }

    @Test
    void shouldRestartAStalledStreamAndForecastEveryObservationOnce() throws Exception {
        PipelineConfig p = new Scenario("stall-" + UUID.randomUUID().toString().substring(0, 8), 1, 8).pipeline();
        AtomicBoolean hang = new AtomicBoolean(false);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 1),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", broker.bootstrapServers());
            settings.put("application.id", "stall-" + UUID.randomUUID());
            settings.put("state.dir", dir.resolve("state").toString());
            settings.put("http.port", "0");
            settings.put("stall.timeout.ms", "3000");
            settings.put("kafka.session.timeout.ms", "6000");
            try (Engine engine = Engine.start(
                            EngineConfig.from(Map.of("test", settings)),
                            List.of(p),
                            x -> new HangingModel(Scenario.model(), hang, 12_000));
                    var producer = new KafkaProducer<>(
                            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                assertTrue(engine.awaitRunning(Duration.ofSeconds(60)));
                producer.send(new ProducerRecord<>(p.input().topic(), Scenario.key(0), Scenario.observation(0, 0)))
                        .get();
                assertEquals(
                        1,
                        Topics.readCommitted(
                                        broker.bootstrapServers(), p.output().forecasts(), 1, Duration.ofSeconds(60))
                                .size());

                hang.set(true);
                for (int i = 1; i < 8; i++) {
                    producer.send(new ProducerRecord<>(p.input().topic(), Scenario.key(0), Scenario.observation(0, i)))
                            .get();
                }
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> engine.metrics().count("seqcast.engine.restarts") >= 1);
                assertEquals(1, engine.metrics().count("seqcast.engine.restarts"), 0.0, "restarted once");
                var forecasts = Topics.readCommitted(
                        broker.bootstrapServers(), p.output().forecasts(), 8, Duration.ofSeconds(120));
                assertEquals(8, forecasts.size(), "every observation forecast once (read_committed)");
                assertTrue(engine.awaitRunning(Duration.ofSeconds(30)));
                assertEquals(KafkaStreams.State.RUNNING, engine.state());
                var restores = engine.registry().find("seqcast.state.restore").timer();
                assertTrue(
                        restores != null && restores.count() >= 2,
                        "the store was restored at the start and after the restart, and each restore counted");
            }
        }
    }
}
