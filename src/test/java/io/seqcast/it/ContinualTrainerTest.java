package io.seqcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqcast.app.Engine;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.EventJson;
import io.seqcast.event.FieldMapping;
import io.seqcast.event.Forecast;
import io.seqcast.model.ModelArtifact;
import io.seqcast.registry.PipelineModels;
import io.seqcast.testing.TestPipelines;
import io.seqcast.trainer.ChampionChallenger;
import io.seqcast.trainer.ContinualTrainer;
import io.seqcast.trainer.Judge;
import io.seqcast.trainer.RecentWindows;
import io.seqcast.trainer.TrainerDecision;
import io.seqcast.trainer.TrainerFixtures;
import io.seqcast.trainer.TrainerMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continual trainer end to end on a real broker: it reads a pipeline's input topic with the pipeline's own field
 * mapping, publishes a challenger that beats the serving model (the engine then serves it), refuses a worse one (the
 * engine keeps the champion), and records every decision in the models topic. The models topic does not exist when
 * the engine starts: the trainer creates it, and the engine follows it from then on.
 */
class ContinualTrainerTest {

    static final String PIPELINE = "cycle";

    @TempDir
    Path dir;

    int next;

    @Test
    void shouldPublishABetterChallengerThatTheEngineServesAndRefuseAWorseOne() throws Exception {
        String prefix = "trainer-" + UUID.randomUUID().toString().substring(0, 8);
        String models = prefix + ".models";
        FieldMapping fields = new FieldMapping("id", "ts", "reading", "tags", 1);
        PipelineConfig p = TestPipelines.pipeline(
                PIPELINE,
                Path.of("cycle.yaml"),
                new PipelineConfig.Input(prefix + ".obs", fields),
                new PipelineConfig.Sampling(Duration.ofMinutes(5), 1.5, PipelineConfig.GapPolicy.IMPUTE, 12),
                Path.of("unused"),
                PipelineConfig.Mode.STATEFUL,
                new PipelineConfig.Window(8, 1),
                TestPipelines.forecast(TrainerFixtures.HORIZON, 0.9),
                TestPipelines.anomaly(0.001, 1e-5, 5, 3),
                TestPipelines.output(prefix + ".forecasts", prefix + ".alerts", prefix + ".dlq"));
        try (KafkaBackend backend = EmbeddedKafkaBackend.plaintext()) {
            backend.createTopics(
                    TopicSpec.of(p.input().topic(), 2),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            // no models topic: the engine starts without one and follows it once the trainer creates it
            Properties client = new Properties();
            client.putAll(backend.connectionProperties());
            ModelArtifact fileModel = TrainerFixtures.untrained("1", 1);
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
                    models);
            ChampionChallenger.Settings judged =
                    new ChampionChallenger.Settings(TrainerFixtures.HORIZON, 60, 200, new Judge(Judge.Rule.EVERY, 0));
            RecentWindows windows = new RecentWindows(400, 10);
            TrainerMetrics metrics = new TrainerMetrics(new SimpleMeterRegistry(), PIPELINE, windows);
            try (Engine engine = Engine.start(
                            EngineConfig.from(Map.of("test", settings)), List.of(p), x -> fileModel.toSequenceModel());
                    var producer = new KafkaProducer<>(
                            backend.connectionProperties(), new ByteArraySerializer(), new ByteArraySerializer());
                    var consumer = consumer(backend, p.output().forecasts())) {
                assertTrue(engine.awaitRunning(Duration.ofSeconds(60)));
                send(producer, p, 300);
                producer.send(new ProducerRecord<>(
                        p.input().topic(),
                        "s0".getBytes(StandardCharsets.UTF_8),
                        "{\"series\":\"s0\"}".getBytes(StandardCharsets.UTF_8))); // not this pipeline's fields
                producer.flush();

                try (ContinualTrainer trainer = new ContinualTrainer(
                        client,
                        models,
                        p,
                        fileModel,
                        windows,
                        new ChampionChallenger(judged, TrainerFixtures.quickTraining(3)),
                        metrics)) {
                    trainer.catchUp();
                    assertEquals(2, windows.seriesCount());
                    assertEquals(600, windows.observationCount(), "read with the pipeline's field mapping");
                    TrainerDecision d = trainer.runOnce("once");
                    assertEquals(TrainerDecision.PUBLISHED, d.outcome(), d.summary());
                    assertEquals("2", d.challenger());
                    assertEquals("cycle 1", d.champion());
                }
                Forecast served = feedUntil(
                        producer, consumer, p, f -> f.model().version().equals("2"));
                assertEquals("cycle", served.model().name());

                ModelArtifact broken = TrainerFixtures.broken("3");
                try (ContinualTrainer trainer = new ContinualTrainer(
                        client,
                        models,
                        p,
                        fileModel,
                        windows,
                        new ChampionChallenger(judged, (champion, series, version, fingerprint) -> broken),
                        metrics)) {
                    trainer.catchUp();
                    TrainerDecision d = trainer.runOnce("drift");
                    assertEquals(TrainerDecision.REFUSED, d.outcome(), d.summary());
                    assertEquals("cycle 2", d.champion(), "judged against the version the engine serves");
                    assertEquals("3", d.challenger());
                }
                assertEquals(
                        "2",
                        feedUntil(producer, consumer, p, f -> true).model().version(),
                        "the refused challenger is not served");

                PipelineModels registry = PipelineModels.read(client, models, PIPELINE);
                assertEquals("2", registry.pointer().active());
                TrainerDecision published =
                        TrainerDecision.fromJson(registry.decisions().get("2"));
                TrainerDecision refused =
                        TrainerDecision.fromJson(registry.decisions().get("3"));
                assertEquals(TrainerDecision.PUBLISHED, published.outcome());
                assertEquals(TrainerDecision.REFUSED, refused.outcome());
                assertTrue(published.challengerScore() < published.championScore());
                assertTrue(refused.challengerScore() > refused.championScore());
                assertEquals(2, published.judged());
                assertEquals(
                        List.of("s0", "s1"),
                        published.series().stream()
                                .map(TrainerDecision.SeriesJudgement::series)
                                .toList());
                assertTrue(published.series().stream()
                        .allMatch(s -> s.trained() > 0
                                && s.heldBack() == 60
                                && s.from().compareTo(s.heldFrom()) < 0
                                && s.heldFrom().compareTo(s.to()) < 0));
                assertEquals(1.0, metrics.runCount(TrainerDecision.PUBLISHED));
                assertEquals(1.0, metrics.runCount(TrainerDecision.REFUSED));
            }
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, PipelineConfig p, int steps) {
        for (int i = 0; i < steps; i++, next++) {
            for (int s = 0; s < 2; s++) {
                String json = String.format(
                        java.util.Locale.ROOT,
                        "{\"id\":\"s%d\",\"ts\":%d,\"reading\":%.6f}",
                        s,
                        TrainerFixtures.T0 + next * TrainerFixtures.STEP,
                        TrainerFixtures.value(s, next));
                producer.send(new ProducerRecord<>(
                        p.input().topic(),
                        ("s" + s).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
            }
        }
        producer.flush();
    }

    /** Sends one step at a time until a forecast made after the call matches. */
    private Forecast feedUntil(
            KafkaProducer<byte[], byte[]> producer,
            KafkaConsumer<byte[], byte[]> consumer,
            PipelineConfig p,
            java.util.function.Predicate<Forecast> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long after = TrainerFixtures.T0 + next * TrainerFixtures.STEP;
        Forecast last = null;
        while (System.nanoTime() < deadline) {
            send(producer, p, 1);
            for (var r : consumer.poll(Duration.ofMillis(300))) {
                Forecast f = EventJson.decodeForecast(r.value());
                last = f;
                if (f.time() >= after && done.test(f)) {
                    return f;
                }
            }
        }
        throw new AssertionError("no matching forecast within 60 s; last: " + last);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBackend backend, String topic) {
        Map<String, Object> props = backend.connectionProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "trainer-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
