package io.seqcast.training;

import io.seqcast.classify.Heartbeats;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import io.seqcast.replay.CsvSeries;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code seqcast train --task classify}: a many-to-one normal/abnormal beat classifier over beat windows cut at the
 * reference annotations ({@link Heartbeats}). Per record, the first part of the beats trains, the next validates and
 * the last {@code testFraction} is held out for the reported precision and recall.
 */
public final class BeatWindowTraining {

    private BeatWindowTraining() {}

    /**
     * Trains on {@code signals} (ECG signal CSVs) with {@code annotations} (one per signal, same order), prints the
     * held-out report to {@code w} and writes the artifact to {@code out}.
     *
     * @throws IllegalArgumentException if the two lists differ in length
     */
    public static void train(
            List<Path> signals,
            List<Path> annotations,
            double testFraction,
            TrainingOptions options,
            String name,
            String version,
            Path out,
            PrintWriter w,
            TrainingProgress progress)
            throws Exception {
        if (annotations.size() != signals.size()) {
            throw new IllegalArgumentException("one annotation file per signal file; got " + signals.size()
                    + " signals and " + annotations.size() + " annotation files");
        }
        double trainEnd = (1 - testFraction) * (1 - options.validationFraction());
        double validEnd = 1 - testFraction;
        List<float[][]> trainX = new ArrayList<>();
        List<float[][]> validX = new ArrayList<>();
        List<float[][]> testX = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        List<Integer> validY = new ArrayList<>();
        List<Integer> testY = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (int r = 0; r < signals.size(); r++) {
            String record = CsvSeries.nameOf(signals.get(r));
            List<Heartbeats.Beat> beats = Heartbeats.read(record, signals.get(r), annotations.get(r), trainEnd);
            fingerprint.update(Files.readAllBytes(signals.get(r)));
            fingerprint.update(Files.readAllBytes(annotations.get(r)));
            int a = (int) Math.round(beats.size() * trainEnd);
            int b = (int) Math.round(beats.size() * validEnd);
            int[] counts = new int[2];
            for (int i = 0; i < beats.size(); i++) {
                Heartbeats.Beat beat = beats.get(i);
                float[][] x = new float[Heartbeats.STEPS][1];
                for (int t = 0; t < Heartbeats.STEPS; t++) {
                    x[t][0] = beat.window()[t];
                }
                (i < a ? trainX : i < b ? validX : testX).add(x);
                (i < a ? trainY : i < b ? validY : testY).add(beat.label());
                counts[beat.label()]++;
            }
            w.printf(
                    Locale.ROOT,
                    "record %-25s %5d beats (%d normal, %d abnormal): %d train, %d validation, %d test%n",
                    record,
                    beats.size(),
                    counts[0],
                    counts[1],
                    a,
                    b - a,
                    beats.size() - b);
        }
        LabelledSequences train = LabelledSequences.classes(trainX, ints(trainY), Heartbeats.CLASSES);
        LabelledSequences valid = LabelledSequences.classes(validX, ints(validY), Heartbeats.CLASSES);
        w.printf(
                Locale.ROOT,
                "training a %s %s many-to-one classifier, up to %d epochs (seed %d)%n",
                options.cell(),
                options.hiddenSizes(),
                options.maxEpochs(),
                options.seed());
        w.flush();
        TrainingResult result = new SequenceTrainer(options, SequenceShape.MANY_TO_ONE).train(train, valid, progress);
        ShapedModel model = new ShapedModel(result.network(), SequenceShape.MANY_TO_ONE);
        int[] actual = ints(testY);
        int[] predicted = new int[actual.length];
        List<float[][]> probabilities = model.predict(testX);
        for (int i = 0; i < actual.length; i++) {
            predicted[i] = probabilities.get(i)[0][1] > probabilities.get(i)[0][0] ? 1 : 0;
        }
        ClassificationReport report = ClassificationReport.of(Heartbeats.CLASSES, actual, predicted);
        w.println("held-out beats (last " + Math.round(testFraction * 100) + "% of every record):");
        w.println(report.table());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_cross_entropy", result.bestValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        metrics.put("test_accuracy", report.accuracy());
        for (int c = 0; c < Heartbeats.CLASSES.size(); c++) {
            metrics.put("test_precision_" + Heartbeats.CLASSES.get(c), report.precision(c));
            metrics.put("test_recall_" + Heartbeats.CLASSES.get(c), report.recall(c));
        }
        ModelInfo info =
                new ModelInfo(name, version, options.cell(), options.hiddenSizes(), 1, Heartbeats.CLASSES.size());
        Map<String, Object> normalisation = new LinkedHashMap<>();
        normalisation.put("method", "window mean subtracted, divided by the record's standard deviation");
        normalisation.put(
                "window",
                "R peak -" + Heartbeats.BEFORE + " to +" + Heartbeats.AFTER + " samples at " + Heartbeats.RATE_HZ
                        + " Hz, mean of every " + Heartbeats.DOWNSAMPLE + " samples");
        ModelMetadata metadata = ModelMetadata.of(
                        info,
                        List.of("ecg"),
                        1,
                        Heartbeats.STEPS,
                        normalisation,
                        "sha256:" + HexFormat.of().formatHex(fingerprint.digest()),
                        metrics,
                        Instant.now())
                .toBuilder()
                .shape(SequenceShape.MANY_TO_ONE)
                .task(ModelMetadata.CLASSIFY, Heartbeats.CLASSES)
                .build();
        ForecastTraining.write(result, metadata, out);
        w.printf(
                Locale.ROOT,
                "best epoch %d: validation cross-entropy %.4f (class frequencies %.4f); wrote %s%n",
                result.bestEpoch(),
                result.bestValidationLoss(),
                result.naiveValidationLoss(),
                out);
        w.flush();
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
