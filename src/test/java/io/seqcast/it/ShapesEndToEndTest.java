package io.seqcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.app.Engine;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Covariates;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.NetworkLayout;
import io.seqcast.model.SequenceModel;
import io.seqcast.model.SequenceShape;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.registry.ModelFit;
import io.seqcast.replay.CsvSeries;
import io.seqcast.testing.Shapes;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import io.seqcast.training.TrainingOptions;
import io.seqcast.training.TrainingProgress;
import io.seqcast.training.WindowedTraining;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * over the same series ({@link Shapes#offline}). With calendar covariates ({@code model.covariates}): a tiny many-to-one
 * model trained by {@link WindowedTraining} with time-of-day and day-of-week, and an untrained stateful one, each
 * served with the same covariates. One broker and one engine serve every test (started once).
 */
class ShapesEndToEndTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final int SERIES = 2;
    static final int LENGTH = 30;
    static final int WINDOW = 6;
    static final int HORIZON = 3;

    /** name, shape, features, covariates (with them, many-to-one is trained). */
    record Case(String name, SequenceShape shape, int features, Covariates covariates) {
        Case(String name, SequenceShape shape, int features) {
            this(name, shape, features, Covariates.NONE);
        }
    }

    static final Covariates CALENDAR = Covariates.of(List.of("time-of-day", "day-of-week"));

    static final List<Case> CASES = List.of(
            new Case("mm", SequenceShape.MANY_TO_MANY, 1),
            new Case("mo", SequenceShape.MANY_TO_ONE, 1),
            new Case("ed", SequenceShape.ENCODER_DECODER, 1),
            new Case("om", SequenceShape.ONE_TO_MANY, 4),
            new Case("edmulti", SequenceShape.ENCODER_DECODER, 2),
            new Case("mocov", SequenceShape.MANY_TO_ONE, 1, CALENDAR),
            new Case("mmcov", SequenceShape.MANY_TO_MANY, 1, CALENDAR));

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
                            c.name(), "shape-" + c.name() + "-" + run, c.shape(), c.features(), WINDOW, HORIZON)
                    .withCovariates(c.covariates())
                    .withInterval(Duration.ofMillis(timeOf(c, 1) - timeOf(c, 0)));
            ModelArtifact a = c.covariates().isEmpty()
                    ? Shapes.artifact(
                            c.shape(),
                            c.features(),
                            WINDOW,
                            HORIZON,
                            7 + c.name().length())
                    : c.shape() == SequenceShape.MANY_TO_ONE
                            ? trainedWithCovariates(c)
                            : untrainedStatefulWithCovariates(c);
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
                                EventJson.encodeObservation("s" + s, timeOf(c, i), Shapes.values(s, i, c.features()))));
                    }
                }
            }
            producer.flush();
        }
    }

    /** Covariate cases step hourly, so that the time of day goes round. */
    static long timeOf(Case c, int i) {
        return T0 + i * (c.covariates().isEmpty() ? STEP : 12 * STEP);
    }

    /** A tiny many-to-one forecaster trained, as {@code seqcast train --covariates} trains it, on 240 hours. */
    static ModelArtifact trainedWithCovariates(Case c) throws Exception {
        int n = 240;
        long[] times = new long[n];
        double[][] values = new double[n][];
        for (int i = 0; i < n; i++) {
            times[i] = timeOf(c, i) - n * 12 * STEP;
            values[i] = new double[] {2 + Math.sin(2 * Math.PI * (i % 24) / 24.0) + 0.1 * Shapes.values(0, i, 1)[0]};
        }
        TrainingOptions options = new TrainingOptions(CellType.LSTM, List.of(6), 0, 0.01, 3, 32, 0, 0.25, 3, null, 11);
        Path file = dir.resolve(c.name() + ".seqcast");
        var metadata = new WindowedTraining(
                        c.shape(),
                        WINDOW,
                        HORIZON,
                        options,
                        List.of("value"),
                        c.shape().id(),
                        "1",
                        c.covariates())
                .trainAndWrite(
                        List.of(new CsvSeries("train", times, values)),
                        file,
                        new PrintWriter(java.io.Writer.nullWriter()),
                        TrainingProgress.silent());
        assertEquals(
                List.of(
                        "value",
                        "covariate:time-of-day.sin",
                        "covariate:time-of-day.cos",
                        "covariate:day-of-week.sin",
                        "covariate:day-of-week.cos"),
                metadata.inputFeatures(),
                "the artifact records the covariates it was trained with");
        return ModelArtifact.read(file);
    }

    /** An untrained stateful forecaster of one value and the covariates, as {@link Shapes#artifact} makes them. */
    static ModelArtifact untrainedStatefulWithCovariates(Case c) {
        int inputs = c.features() + c.covariates().width();
        NetworkSpec spec = NetworkSpec.of(CellType.LSTM, List.of(6), inputs, HORIZON * c.features(), 13);
        var net = Networks.build(spec);
        ModelInfo info = NetworkLayout.describe(net, c.shape().id(), "1");
        List<String> names = new ArrayList<>(List.of("value"));
        names.addAll(c.covariates().names());
        return ModelArtifact.of(
                net, ModelMetadata.of(info, names, HORIZON, 0, Map.of(), "test", Map.of(), Instant.EPOCH));
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

    @Test
    void shouldServeAManyToOneModelTrainedWithCalendarCovariatesAsItRunsOffline() {
        check("mocov");
    }

    @Test
    void shouldServeAStatefulModelWithCalendarCovariatesAsItRunsOffline() {
        check("mmcov");
    }

    @Test
    void shouldNotServeAModelTrainedWithCovariatesInAPipelineWithout() {
        PipelineConfig without = PIPELINES.get("mocov").withCovariates(Covariates.NONE);
        List<String> misfits = ModelFit.misfits(without, ARTIFACTS.get("mocov").metadata());
        assertEquals(1, misfits.size(), misfits.toString());
        assertTrue(misfits.get(0).contains("was trained with covariates time-of-day,day-of-week"), misfits.toString());
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
            long[] times = new long[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                series[i] = Shapes.values(s, i, c.features());
                times[i] = timeOf(c, i);
            }
            List<double[]> expected = Shapes.offline(artifact, series, times, c.covariates(), WINDOW, HORIZON);
            String key = "s" + s;
            List<Forecast> mine =
                    published.stream().filter(f -> f.series().equals(key)).toList();
            assertEquals(LENGTH, mine.size(), name + " " + key);
            for (int i = 0; i < LENGTH; i++) {
                Forecast f = mine.get(i);
                assertEquals(timeOf(c, i), f.time(), name + " " + key + " in order");
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
