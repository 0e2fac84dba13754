package io.seqcast.training;

import io.seqcast.forecast.Normalizer;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.NetworkLayout;
import io.seqcast.model.SequenceShape;
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
import java.util.stream.Collectors;

/**
 * The forecasters {@code seqcast train} writes: a stateful many-to-many forecaster over whole series (one global model,
 * or one per series), or a windowed many-to-one or encoder-decoder forecaster. Every series is normalised exactly as
 * the engine normalises it while streaming ({@link Normalizer}); the artifact records the normalisation, a fingerprint
 * of the data and the validation figures. Progress and results are written to {@code log}.
 */
public final class ForecastTraining {

    private ForecastTraining() {}

    /**
     * Trains many-to-many forecasters of {@code horizon} steps over {@code data}: one across all series written to
     * {@code out} as {@code name}, or with {@code perSeries} one per series written beside it as {@code
     * <out>-<series>.seqcast} named {@code <name>-<series>}.
     */
    public static void manyToMany(List<CsvSeries> data, boolean perSeries, TrainingOptions options, int horizon,
            String name, String version, Path out, PrintWriter log, TrainingProgress progress) throws Exception {
        if (!perSeries) {
            trainAndWrite(data, options, horizon, name, version, out, log, progress);
            return;
        }
        String stem = out.getFileName().toString().replaceAll("\\.seqcast$", "");
        for (CsvSeries s : data) {
            String safe = s.name().replaceAll("[^A-Za-z0-9._-]", "_");
            trainAndWrite(List.of(s), options, horizon, name + "-" + safe,
                    version, out.resolveSibling(stem + "-" + safe + ".seqcast"), log, progress);
        }
    }

    /** Trains one many-to-many forecaster over {@code data} and writes it to {@code target}. */
    private static void trainAndWrite(List<CsvSeries> data, TrainingOptions options, int horizon, String modelName,
            String version, Path target, PrintWriter w, TrainingProgress progress) throws Exception {
        List<float[]> series = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (CsvSeries s : data) {
            series.add(Normalizer.normalizeSeries(s.firstColumn()));
            fingerprint.update(s.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (double v : s.firstColumn()) {
                fingerprint.update(java.nio.ByteBuffer.allocate(8).putDouble(v).array());
            }
            w.printf(Locale.ROOT, "series %-45s %7d observations%n", s.name(), s.size());
        }
        w.printf(Locale.ROOT, "training %s %s %s, horizon %d, up to %d epochs (seed %d)%n", modelName,
                options.cell(), options.hiddenSizes(), horizon, options.maxEpochs(), options.seed());
        w.flush();
        TrainingResult result = new Trainer(options).train(series, horizon, progress);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_mse", result.bestValidationLoss());
        metrics.put("naive_validation_mse", result.naiveValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        ModelInfo info = new ModelInfo(modelName, version, options.cell(), options.hiddenSizes(), 1, horizon);
        ModelMetadata metadata = ModelMetadata.of(info, List.of("value"), horizon, 0, normalisation(),
                "sha256:" + HexFormat.of().formatHex(fingerprint.digest()) + " over "
                        + data.stream().map(CsvSeries::name).collect(Collectors.joining(",")),
                metrics, Instant.now());
        write(result, metadata, target);
        w.printf(Locale.ROOT, "best epoch %d: validation MSE %.5f (naive last value %.5f)%s; wrote %s%n",
                result.bestEpoch(), result.bestValidationLoss(), result.naiveValidationLoss(),
                result.stoppedEarly() ? ", stopped early" : "", target);
        w.flush();
    }

    /**
     * Trains a many-to-one (a window of {@code window} steps in, the next {@code horizon} values as one output vector)
     * or encoder-decoder (the same, as {@code horizon} output steps) forecaster over the windows of every normalised
     * series in {@code files}; the last {@link TrainingOptions#validationFraction} of each series validates.
     *
     * @throws IllegalArgumentException if {@code shape} is neither of those
     */
    public static void windowed(List<Path> files, String timeColumn, String valueColumn, SequenceShape shape,
            int window, int horizon, TrainingOptions options, String name, String version, Path out, PrintWriter w,
            TrainingProgress progress) throws Exception {
        if (shape != SequenceShape.MANY_TO_ONE && shape != SequenceShape.ENCODER_DECODER) {
            throw new IllegalArgumentException("a windowed forecaster is many-to-one or encoder-decoder, not " + shape);
        }
        List<float[][]> trainX = new ArrayList<>();
        List<float[][]> trainY = new ArrayList<>();
        List<float[][]> validX = new ArrayList<>();
        List<float[][]> validY = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (Path file : files) {
            CsvSeries s = CsvSeries.read(file, CsvSeries.nameOf(file), timeColumn,
                    valueColumn == null ? List.of() : List.of(valueColumn));
            float[] x = Normalizer.normalizeSeries(s.firstColumn());
            fingerprint.update(Files.readAllBytes(file));
            int split = (int) Math.round(x.length * (1 - options.validationFraction()));
            for (int end = window; end + horizon <= x.length; end++) {
                float[][] in = new float[window][1];
                for (int t = 0; t < window; t++) {
                    in[t][0] = x[end - window + t];
                }
                float[][] target = shape == SequenceShape.MANY_TO_ONE ? new float[1][horizon] : new float[horizon][1];
                for (int h = 0; h < horizon; h++) {
                    if (shape == SequenceShape.MANY_TO_ONE) {
                        target[0][h] = x[end + h];
                    } else {
                        target[h][0] = x[end + h];
                    }
                }
                boolean training = end + horizon <= split;
                (training ? trainX : validX).add(in);
                (training ? trainY : validY).add(target);
            }
            w.printf(Locale.ROOT, "series %-45s %7d observations%n", s.name(), s.size());
        }
        TrainingResult result = new SequenceTrainer(options, shape).train(
                new LabelledSequences(trainX, trainY, List.of()), new LabelledSequences(validX, validY, List.of()),
                progress);
        int outputSize = shape == SequenceShape.MANY_TO_ONE ? horizon : 1;
        int outputSteps = shape == SequenceShape.MANY_TO_ONE ? 1 : horizon;
        ModelInfo info = NetworkLayout.describe(result.network(), name, version);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_mse", result.bestValidationLoss());
        metrics.put("mean_predictor_validation_mse", result.naiveValidationLoss());
        ModelMetadata metadata = ModelMetadata.of(info, List.of("value"), horizon, window, normalisation(),
                        "sha256:" + HexFormat.of().formatHex(fingerprint.digest()), metrics, Instant.now())
                .withShape(shape, ModelMetadata.FORECAST, List.of(), outputSteps);
        write(result, metadata, out);
        w.printf(Locale.ROOT, "best epoch %d: validation MSE %.5f (mean predictor %.5f), %d outputs x %d steps;"
                + " wrote %s%n", result.bestEpoch(), result.bestValidationLoss(), result.naiveValidationLoss(),
                outputSize, outputSteps, out);
        w.flush();
    }

    private static Map<String, Object> normalisation() {
        Map<String, Object> normalisation = new LinkedHashMap<>();
        normalisation.put("method", "causal exponentially weighted z-score, per series");
        normalisation.put("memory", Normalizer.MEMORY);
        normalisation.put("clip", (double) Normalizer.CLIP);
        return normalisation;
    }

    /** Writes the trained network with its metadata to {@code target}, creating its directory. */
    static void write(TrainingResult result, ModelMetadata metadata, Path target) throws java.io.IOException {
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        ModelArtifact.of(result.network(), metadata).write(target);
    }
}
