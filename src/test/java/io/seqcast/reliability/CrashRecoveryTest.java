package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across crashes: the engine runs in a child JVM and is killed with SIGKILL at seeded random moments
 * while observations flow; after the last restart, the forecast and alert topics read with read_committed equal the
 * uninterrupted reference run exactly, series by series: no gap, no duplicate, the same numbers.
 */
@Timeout(300)
class CrashRecoveryTest {

    static final long SEED = 6_2024L;
    static final int KILLS = 3;
    /** Each chunk of observations is produced over this long, and the engine is killed within it. */
    static final Duration CHUNK = Duration.ofMillis(2500);

    @TempDir
    Path dir;

    @Test
    void shouldPublishExactlyTheUninterruptedOutputsAfterRepeatedSigkills() throws Exception {
        Scenario scenario = new Scenario("crash-" + UUID.randomUUID().toString().substring(0, 8), 8, 480);
        PipelineConfig p = scenario.pipeline();
        Scenario.Outputs expected = scenario.reference(dir.resolve("reference"));
        Random random = new Random(SEED);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 3),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", broker.bootstrapServers());
            settings.put("application.id", "crash-" + UUID.randomUUID());
            settings.put("state.dir", dir.resolve("state").toString());
            settings.put("http.port", "0");
            settings.put("commit.interval.ms", "100");
            // a killed member is replaced at once by its restart (static membership) or dropped after 6 s
            settings.put("kafka.group.instance.id", "crash-engine");
            settings.put("kafka.session.timeout.ms", "6000");
            settings.put("kafka.heartbeat.interval.ms", "1000");
            // outputs reach the broker before their transaction commits, so that a kill leaves aborted records in
            // the topics for read_committed to skip (by default Streams lingers until the commit)
            settings.put("kafka.linger.ms", "5");

            int chunks = KILLS + 1;
            int perChunk = scenario.length() / chunks;
            Thread producing = null;
            for (int run = 0; run < chunks; run++) {
                long started = System.nanoTime();
                ChildEngine engine = ChildEngine.start(scenario, settings, dir.resolve("engine-" + run + ".log"));
                try {
                    engine.awaitReady(Duration.ofMinutes(2));
                    long readyMs = (System.nanoTime() - started) / 1_000_000;
                    if (producing != null) {
                        producing.join();
                    }
                    int from = run * perChunk;
                    int to = run == chunks - 1 ? scenario.length() : from + perChunk;
                    producing = produceInBackground(broker.bootstrapServers(), scenario, from, to);
                    if (run < KILLS) {
                        long delay = 300 + random.nextInt((int) CHUNK.toMillis() - 300);
                        Thread.sleep(delay);
                        engine.kill();
                        System.out.printf(
                                "crash test: run %d ready after %d ms, SIGKILL %d ms into steps %d..%d%n",
                                run, readyMs, delay, from, to);
                    } else {
                        producing.join();
                        var forecasts = Topics.readCommitted(
                                broker.bootstrapServers(),
                                p.output().forecasts(),
                                expected.forecastCount(),
                                Duration.ofMinutes(2));
                        var alerts = Topics.readCommitted(
                                broker.bootstrapServers(),
                                p.output().alerts(),
                                expected.alertCount(),
                                Duration.ofSeconds(30));
                        var written = Topics.read(
                                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                                p.output().forecasts(),
                                "read_uncommitted",
                                Integer.MAX_VALUE,
                                Duration.ofSeconds(3),
                                Duration.ZERO);
                        System.out.printf(
                                "crash test: %d kills; %d forecasts and %d alerts committed (reference %d,"
                                        + " %d); %d forecast records written in all, %d of them in aborted"
                                        + " transactions%n",
                                KILLS,
                                forecasts.size(),
                                alerts.size(),
                                expected.forecastCount(),
                                expected.alertCount(),
                                written.size(),
                                written.size() - forecasts.size());
                        assertEquals(
                                expected.forecastCount(), forecasts.size(), "forecast count: no gap, no duplicate");
                        assertEquals(expected.alertCount(), alerts.size(), "alert count: no gap, no duplicate");
                        assertEquals(
                                expected.forecasts(),
                                Scenario.bySeries(
                                        forecasts.stream()
                                                .map(r -> EventJson.decodeForecast(r.value()))
                                                .toList(),
                                        Forecast::series),
                                "forecasts equal the uninterrupted run's, series by series");
                        assertEquals(
                                expected.alerts(),
                                Scenario.bySeries(
                                        alerts.stream()
                                                .map(r -> EventJson.decodeAlert(r.value()))
                                                .toList(),
                                        AnomalyAlert::series),
                                "alerts equal the uninterrupted run's, series by series");
                    }
                } catch (RuntimeException | AssertionError e) {
                    System.out.println(engine.tail());
                    throw e;
                } finally {
                    engine.close();
                }
            }
        }
    }

    /** Sends steps {@code from..to} of every series, paced over {@link #CHUNK}, with an idempotent producer. */
    static Thread produceInBackground(String bootstrap, Scenario scenario, int from, int to) {
        Thread t = new Thread(
                () -> {
                    Map<String, Object> props = Map.of(
                            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                            true,
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.LINGER_MS_CONFIG,
                            5);
                    long pause = CHUNK.toMillis() / Math.max(1, to - from);
                    try (var producer =
                            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                        for (int i = from; i < to; i++) {
                            for (int s = 0; s < scenario.series(); s++) {
                                producer.send(new ProducerRecord<>(
                                        scenario.pipeline().input().topic(),
                                        Scenario.key(s),
                                        Scenario.observation(s, i)));
                            }
                            Thread.sleep(pause);
                        }
                        producer.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "crash-test-producer");
        t.start();
        return t;
    }
}
