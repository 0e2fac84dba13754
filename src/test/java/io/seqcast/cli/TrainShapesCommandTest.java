package io.seqcast.cli;

import static io.seqcast.cli.SeqcastCommandTest.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.cli.SeqcastCommandTest.Result;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.registry.ModelFit;
import io.seqcast.testing.Shapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqcast train} for every shape and task: each writes an artifact of the shape asked for, which fits the
 * pipeline that serves it ({@link ModelFit}) and loads as the engine loads it; one-to-many learns a periodic series at
 * least twice as well as the mean predictor. Tiny networks, few epochs.
 */
class TrainShapesCommandTest {

    @TempDir
    Path dir;

    /** Two series of {@code rows} rows: a period-12 wave, and the same in a second column shifted a quarter period. */
    private List<Path> csvs(int rows) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            Path csv = dir.resolve("wave" + s + ".csv");
            StringBuilder b = new StringBuilder("timestamp,a,b\n");
            for (int i = 0; i < rows; i++) {
                b.append(String.format(
                        Locale.ROOT,
                        "2014-07-%02d %02d:%02d:00,%.4f,%.4f%n",
                        1 + i / 1440,
                        i / 60 % 24,
                        i % 60,
                        10 + s + Math.sin(2 * Math.PI * i / 12),
                        5 + Math.cos(2 * Math.PI * i / 12)));
            }
            Files.writeString(csv, b.toString());
            out.add(csv);
        }
        return out;
    }

    private ModelArtifact train(List<Path> files, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("train"));
        files.forEach(f -> args.add(f.toString()));
        args.addAll(List.of(options));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "6"));
        }
        args.addAll(List.of(
                "--cell",
                "gru",
                "--layers",
                "6",
                "--patience",
                "6",
                "--batch-size",
                "32",
                "--learning-rate",
                "0.03",
                "--name",
                "m",
                "--out",
                dir.resolve("m.seqcast").toString()));
        succeeded(SeqcastCommandTest.run(args.toArray(String[]::new)));
        return ModelArtifact.read(dir.resolve("m.seqcast"));
    }

    /**
     * {@code seqcast train ARGS --name m --out x.seqcast}, checked to be refused as a usage error (exit 2) whose
     * message contains {@code reason}.
     */
    private void assertRefused(String reason, String... args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(List.of(args));
        all.addAll(List.of("--name", "m", "--out", dir.resolve("x.seqcast").toString()));
        Result r = SeqcastCommandTest.run(all.toArray(String[]::new));
        assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.out() + r.err());
        assertTrue(r.err().contains(reason), r.err());
    }

    /** {@code seqcast train --task classify} on the bundled record 100 and its annotations. */
    private static Result classify(Path out, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--task",
                "classify",
                "data/ecg/mitdb_100_signal.csv.gz",
                "--annotations",
                "data/ecg/mitdb_100_annotations.csv"));
        args.addAll(List.of(options));
        args.addAll(List.of("--name", "beats", "--out", out.toString()));
        return SeqcastCommandTest.run(args.toArray(String[]::new));
    }

    private static void assertLearned(ModelArtifact a) {
        double mse = a.metadata().validationMetrics().get("validation_mse");
        double mean = a.metadata().validationMetrics().get("mean_predictor_validation_mse");
        assertTrue(mse < 0.5 * mean, "validation MSE " + mse + " vs mean predictor " + mean);
    }

    private static void assertServedBy(ModelArtifact a, SequenceShape shape, int features, int window, int horizon) {
        var p = Shapes.pipeline("p", "p", shape, features, window, horizon);
        assertEquals(List.of(), ModelFit.misfits(p, a.metadata()));
        assertEquals(List.of(), ModelCatalog.misfits(p, ModelCatalog.fromArtifact(a)));
    }

    @Test
    void shouldTrainWithCalendarCovariatesFromTheTimeColumnAndRecordThem() throws IOException {
        List<Path> files = csvs(150);
        ModelArtifact a = train(
                files,
                "--shape",
                "many-to-one",
                "--window",
                "8",
                "--horizon",
                "2",
                "--value-column",
                "a",
                "--covariates",
                "time-of-day,day-of-week",
                "--epochs",
                "1");
        assertEquals(
                List.of(
                        "a",
                        "covariate:time-of-day.sin",
                        "covariate:time-of-day.cos",
                        "covariate:day-of-week.sin",
                        "covariate:day-of-week.cos"),
                a.metadata().inputFeatures());
        assertEquals(5, a.metadata().inputSize());
        var p = Shapes.pipeline("p", "p", SequenceShape.MANY_TO_ONE, 1, 8, 2);
        assertEquals(
                List.of(),
                ModelFit.misfits(
                        p.withCovariates(io.seqcast.event.Covariates.of(List.of("time-of-day", "day-of-week"))),
                        a.metadata()));
        assertEquals(1, ModelFit.misfits(p, a.metadata()).size(), "refused where the pipeline has none");
        assertRefused(
                "add --shape many-to-one",
                files.get(0).toString(),
                "--value-column",
                "a",
                "--covariates",
                "time-of-day");
        assertRefused(
                "unknown covariate 'month-of-year'",
                files.get(0).toString(),
                "--shape",
                "many-to-one",
                "--covariates",
                "month-of-year");
    }

    @Test
    void shouldTrainAManyToManyForecasterAndRefuseSeveralColumnsForIt() throws IOException {
        List<Path> files = csvs(150);
        ModelArtifact a = train(files, "--horizon", "2", "--value-column", "a", "--epochs", "1");
        assertEquals(SequenceShape.MANY_TO_MANY, a.metadata().sequenceShape());
        assertServedBy(a, SequenceShape.MANY_TO_MANY, 1, 0, 2);
        assertRefused("for several features use --shape", files.get(0).toString(), "--value-column", "a,b");
    }

    @Test
    void shouldTrainAStatefulForecasterOnValuesAndDifferencesClippedByGlobalNormAndServeItSo() throws IOException {
        List<Path> files = csvs(150);
        ModelArtifact a = train(
                files,
                "--horizon",
                "2",
                "--value-column",
                "a",
                "--epochs",
                "1",
                "--inputs",
                "values-and-differences",
                "--clip-global-norm",
                "1.0",
                "--learning-rate-decay",
                "0.9");
        assertEquals(List.of("value", "value.difference"), a.metadata().inputFeatures());
        assertEquals(2, a.metadata().inputSize());
        assertServedBy(a, SequenceShape.MANY_TO_MANY, 1, 0, 2);
        assertEquals(
                io.seqcast.model.ModelInputs.VALUES_AND_DIFFERENCES,
                ModelCatalog.fromArtifact(a).inputs(),
                "the engine reads the inputs from the artifact");
        assertEquals(
                io.seqcast.model.ModelInputs.VALUES_AND_DIFFERENCES,
                a.toSequenceModel().inputs());
        for (String[] bad : List.of(
                new String[] {"--inputs", "returns"},
                new String[] {"--clip-global-norm", "0"},
                new String[] {"--learning-rate-decay", "1.5"},
                new String[] {"--inputs", "values-and-differences", "--shape", "many-to-one"})) {
            List<String> args = new ArrayList<>(List.of(files.get(0).toString(), "--value-column", "a"));
            args.addAll(List.of(bad));
            assertRefused(bad[0], args.toArray(String[]::new));
        }
    }

    @Test
    void shouldTrainAManyToOneForecasterOnWindowsNormalisedAsServed() throws IOException {
        ModelArtifact a = train(
                csvs(150),
                "--shape",
                "many-to-one",
                "--window",
                "6",
                "--horizon",
                "3",
                "--value-column",
                "a",
                "--epochs",
                "2");
        ModelMetadata m = a.metadata();
        assertEquals(SequenceShape.MANY_TO_ONE, m.sequenceShape());
        assertEquals(6, m.window());
        assertEquals(3, m.outputSize());
        assertTrue(
                String.valueOf(m.normalisation().get("method")).contains("as served"),
                m.normalisation().toString());
        assertServedBy(a, SequenceShape.MANY_TO_ONE, 1, 6, 3);
    }

    @Test
    void shouldTrainAnEncoderDecoderForecaster() throws IOException {
        ModelArtifact a = train(
                csvs(150),
                "--shape",
                "encoder-decoder",
                "--window",
                "6",
                "--horizon",
                "4",
                "--value-column",
                "a",
                "--epochs",
                "2");
        ModelMetadata m = a.metadata();
        assertEquals(SequenceShape.ENCODER_DECODER, m.sequenceShape());
        assertEquals(4, m.outputSteps());
        assertEquals(1, m.outputSize());
        assertServedBy(a, SequenceShape.ENCODER_DECODER, 1, 6, 4);
    }

    @Test
    void shouldTrainAMultivariateEncoderDecoderPerSeries() throws IOException {
        List<Path> files = csvs(100);
        succeeded(SeqcastCommandTest.run(
                "train",
                files.get(0).toString(),
                files.get(1).toString(),
                "--shape",
                "encoder-decoder",
                "--window",
                "6",
                "--horizon",
                "3",
                "--value-column",
                "a,b",
                "--per-series",
                "--cell",
                "gru",
                "--layers",
                "4",
                "--epochs",
                "1",
                "--name",
                "ps",
                "--out",
                dir.resolve("ps.seqcast").toString()));
        for (String s : List.of("wave0", "wave1")) {
            ModelArtifact a = ModelArtifact.read(dir.resolve("ps-" + s + ".seqcast"));
            assertEquals("ps-" + s, a.metadata().name());
            assertEquals(List.of("a", "b"), a.metadata().inputFeatures());
            assertTrue(a.metadata().trainingDataFingerprint().endsWith(" over " + s));
            assertServedBy(a, SequenceShape.ENCODER_DECODER, 2, 6, 3);
        }
    }

    @Test
    void shouldTrainAOneToManyForecasterFromOneObservationsVector() throws IOException {
        ModelArtifact a = train(csvs(150), "--shape", "one-to-many", "--horizon", "3", "--value-column", "a,b");
        ModelMetadata m = a.metadata();
        assertEquals(SequenceShape.ONE_TO_MANY, m.sequenceShape());
        assertEquals(1, m.window());
        assertEquals(2, m.inputSize());
        assertEquals(3, m.outputSteps());
        // a quarter-period pair (sin, cos) fixes the phase: the next steps follow from one observation
        assertLearned(a);
        assertServedBy(a, SequenceShape.ONE_TO_MANY, 2, 1, 3);
    }

    @Test
    void shouldTrainABeatClassifierFromAnnotatedRecords() throws IOException {
        Path out = dir.resolve("beats.seqcast");
        Result r = succeeded(classify(out, "--cell", "rnn", "--layers", "4", "--epochs", "1"));
        ModelMetadata m = ModelArtifact.read(out).metadata();
        assertEquals(ModelMetadata.CLASSIFY, m.task());
        assertEquals(SequenceShape.MANY_TO_ONE, m.sequenceShape());
        assertTrue(r.out().contains("held-out beats"), r.out());
    }

    @Test
    void shouldRefuseAShapeAClassifierIsNot() throws IOException {
        Result r = classify(dir.resolve("b.seqcast"), "--shape", "encoder-decoder");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("many-to-one"), r.err());
    }
}
