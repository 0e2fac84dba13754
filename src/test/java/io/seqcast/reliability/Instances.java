package io.seqcast.reliability;

import io.seqcast.app.Engine;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.model.SequenceModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Engine instances of one application in this JVM, each with its own state directory, as on separate machines. */
final class Instances {

    private Instances() {}

    static Engine start(
            String bootstrap,
            String applicationId,
            Path stateDir,
            PipelineConfig p,
            int standbys,
            Supplier<SequenceModel> model) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("application.id", applicationId);
        settings.put("state.dir", stateDir.toString());
        settings.put("http.port", "0");
        settings.put("num.standby.replicas", Integer.toString(standbys));
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        // a standby counts as caught up within this many records of the active copy
        settings.put("kafka.acceptable.recovery.lag", "1000");
        SequenceModel m = model.get();
        return Engine.start(EngineConfig.from(Map.of("test", settings)), List.of(p), x -> m);
    }

    /** Waits until every engine runs; the time it took, in milliseconds. */
    static long awaitAllRunning(List<Engine> engines, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        for (Engine e : engines) {
            // a rebalance may still be settling: require RUNNING twice, 200 ms apart
            while (System.nanoTime() < deadline) {
                e.awaitRunning(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                Thread.sleep(200);
                if (e.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                    break;
                }
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Sends steps {@code from..to} of every series of the scenario, {@code pauseMs} between steps. */
    static void produce(String bootstrap, Scenario scenario, int from, int to, long pauseMs) {
        Map<String, Object> props = Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5);
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                for (int s = 0; s < scenario.series(); s++) {
                    producer.send(new ProducerRecord<>(
                            scenario.pipeline().input().topic(), Scenario.key(s), Scenario.observation(s, i)));
                }
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
