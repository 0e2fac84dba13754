package io.seqcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.app.Engine;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.model.SequenceShape;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.registry.ModelFit;
import io.seqcast.testing.Shapes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sequence shape served by the engine on the embedded broker: one engine runs a pipeline per shape (many-to-many
 * stateful; many-to-one, encoder-decoder and one-to-many windowed; and a two-feature encoder-decoder), and each
 * pipeline's published forecasts must equal, within 1e-5, what the same model artifact forecasts offline, run by DL4J
 * over the same series ({@link Shapes#offline}). One broker and one engine serve every test (started once).
 */
class ShapesEndToEndTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final int SERIES = 2;
    static final int LENGTH = 30;
    static final int WINDOW = 6;
    static final int HORIZON = 3;

    /** name, shape, features. */
    record Case(String name, SequenceShape shape, int features) {}

    static final List<Case> CASES = List.of(
            new Case("mm", SequenceShape.MANY_TO_MANY, 1),
            new Case("mo", SequenceShape.MANY_TO_ONE, 1),
            new Case("ed", SequenceShape.ENCODER_DECODER, 1),
            new Case("om", SequenceShape.ONE_TO_MANY, 4),
            new Case("edmulti", SequenceShape.ENCODER_DECODER, 2));

    @TempDir
    static Path dir;

    static KafkaBackend backend;
    static Engine engine;
    static final Map<String, PipelineConfig> PIPELINES = new LinkedHashMap<>();
    static final Map<String, ModelArtifact> ARTIFACTS = new HashMap<>();

    @BeforeAll
    static void serveEveryShape() throws Exception {
        backend = EmbeddedKafkaBackend.plaintext();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, SequenceModel> models = new HashMap<>();
        for (Case c : CASES) {
            PipelineConfig p = Shapes.pipeline(
                    c.name(), "shape-" + c.name() + "-" + run, c.shape(), c.features(), WINDOW, HORIZON);
            ModelArtifact a = Shapes.artifact(
                    c.shape(), c.features(), WINDOW, HORIZON, 7 + c.name().length());
            assertEquals(List.of(), ModelFit.misfits(p, a.metadata()), c.name() + " fits its pipeline");
            PIPELINES.put(c.name(), p);
            ARTIFACTS.put(c.name(), a);
            models.put(c.name(), ModelCatalog.fromArtifact(a));
            backend.createTopics(List.of(
                    TopicSpec.of(p.input().topic(), 2),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1)));
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", backend.bootstrapServers());
        settings.put("application.id", "shapes-" + run);
        settings.put("state.dir", dir.resolve("state").toString());
        settings.put("http.port", "0");
        settings.put("commit.interval.ms", "100");
        engine = Engine.start(
                EngineConfig.from(Map.of("test", settings)),
                List.copyOf(PIPELINES.values()),
                p -> models.get(p.name()));
        assertTrue(engine.awaitRunning(Duration.ofSeconds(60)), "engine running");
        Map<String, Object> props = backend.connectionProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Case c : CASES) {
                for (int i = 0; i < LENGTH; i++) {
                    for (int s = 0; s < SERIES; s++) {
                        producer.send(new ProducerRecord<>(
                                PIPELINES.get(c.name()).input().topic(),
                                ("s" + s).getBytes(StandardCharsets.UTF_8),
                                EventJson.encodeObservation(
                                        "s" + s, T0 + i * STEP, Shapes.values(s, i, c.features()))));
                    }
                }
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void shouldServeManyToManyStatefulAsTheModelRunsOffline() {
        check("mm");
    }

    @Test
    void shouldServeManyToOneWindowedAsTheModelRunsOffline() {
        check("mo");
    }

    @Test
    void shouldServeEncoderDecoderWindowedAsTheModelRunsOffline() {
        check("ed");
    }

    @Test
    void shouldServeOneToManyFromOneObservationsVectorAsTheModelRunsOffline() {
        check("om");
    }

    @Test
    void shouldServeAMultivariateEncoderDecoderAsTheModelRunsOffline() {
        check("edmulti");
    }

    private static void check(String name) {
        Case c = CASES.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        PipelineConfig p = PIPELINES.get(name);
        ModelArtifact artifact = ARTIFACTS.get(name);
        List<Forecast> published = consume(p.output().forecasts(), SERIES * LENGTH);
        assertEquals(SERIES * LENGTH, published.size(), name + ": one forecast per observation");
        int compared = 0;
        for (int s = 0; s < SERIES; s++) {
            double[][] series = new double[LENGTH][];
            for (int i = 0; i < LENGTH; i++) {
                series[i] = Shapes.values(s, i, c.features());
            }
            List<double[]> expected = Shapes.offline(artifact, series, WINDOW, HORIZON);
            String key = "s" + s;
            List<Forecast> mine =
                    published.stream().filter(f -> f.series().equals(key)).toList();
            assertEquals(LENGTH, mine.size(), name + " " + key);
            for (int i = 0; i < LENGTH; i++) {
                Forecast f = mine.get(i);
                assertEquals(T0 + i * STEP, f.time(), name + " " + key + " in order");
                assertEquals(c.shape().id(), f.model().name(), "the model is named in every forecast");
                double[] want = expected.get(i);
                if (want == null) {
                    assertTrue(
                            f.steps().isEmpty(), name + " " + key + " " + i + ": no forecast before the window fills");
                    continue;
                }
                assertEquals(HORIZON, f.steps().size(), name + " " + key + " " + i);
                for (int k = 0; k < HORIZON; k++) {
                    assertEquals(
                            want[k],
                            f.steps().get(k).value(),
                            1e-5,
                            name + " " + key + " observation " + i + " step " + (k + 1));
                }
                compared++;
            }
        }
        int windowed =
                c.shape() == SequenceShape.MANY_TO_MANY ? 1 : c.shape() == SequenceShape.ONE_TO_MANY ? 1 : WINDOW;
        assertEquals(SERIES * (LENGTH - windowed + 1), compared, name + ": forecasts compared");
    }

    private static List<Forecast> consume(String topic, int expected) {
        Map<String, Object> props = backend.connectionProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "shapes-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Forecast> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(EventJson.decodeForecast(r.value())));
            }
        }
        return out;
    }
}
