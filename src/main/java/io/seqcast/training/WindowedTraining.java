package io.seqcast.training;

import io.seqcast.event.Covariates;
import io.seqcast.forecast.Normalizer;
import io.seqcast.forecast.WindowExamples;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.NetworkLayout;
import io.seqcast.model.SequenceShape;
import io.seqcast.replay.CsvSeries;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * {@code seqcast train --shape many-to-one|encoder-decoder|one-to-many}: a forecaster served by the windowed mode,
 * trained on every series' windows made as the engine serves them ({@link WindowExamples}: each window, and its
 * targets, normalised with the series' statistics at the window's last observation).
 *
 * <ul>
 *   <li>many-to-one: {@code window} steps in, one output of {@code horizon x features} values (step-major);
 *   <li>encoder-decoder: {@code window} steps in, {@code horizon} steps of {@code features} out;
 *   <li>one-to-many: one observation's vector of {@code features} in, {@code horizon} steps of {@code features} out
 *       (the window is 1).
 * </ul>
 *
 * Each series is split chronologically: the examples whose targets all lie in its first {@code 1 -
 * validationFraction} train, the rest validate.
 *
 * @param features names of the features, one per value column (the first is the target the engine scores)
 * @param covariates known-ahead covariates of each observation's event time appended to every input step (recorded in
 *     the artifact's input feature names); {@link Covariates#NONE} for none
 */
public record WindowedTraining(
        SequenceShape shape,
        int window,
        int horizon,
        TrainingOptions options,
        List<String> features,
        String name,
        String version,
        Covariates covariates) {

    /** A forecaster without covariates. */
    public WindowedTraining(
            SequenceShape shape,
            int window,
            int horizon,
            TrainingOptions options,
            List<String> features,
            String name,
            String version) {
        this(shape, window, horizon, options, features, name, version, Covariates.NONE);
    }

    public WindowedTraining {
        covariates = covariates == null ? Covariates.NONE : covariates;
        if (shape == SequenceShape.MANY_TO_MANY) {
            throw new IllegalArgumentException("many-to-many forecasters are trained stateful, not on windows");
        }
        if (shape == SequenceShape.ONE_TO_MANY) {
            window = 1;
        }
        if (window < 1 || horizon < 1) {
            throw new IllegalArgumentException(
                    "--window and --horizon must be at least 1; got " + window + " and " + horizon);
        }
        features = List.copyOf(features);
    }

    /** Trains on {@code data} and writes the artifact to {@code out}; returns its metadata. */
    public ModelMetadata trainAndWrite(List<CsvSeries> data, Path out, PrintWriter w, TrainingProgress progress)
            throws Exception {
        int width = features.size();
        List<float[][]> trainX = new ArrayList<>();
        List<float[][]> trainY = new ArrayList<>();
        List<float[][]> validX = new ArrayList<>();
        List<float[][]> validY = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (CsvSeries s : data) {
            if (s.size() > 0 && s.values()[0].length != width) {
                throw new IllegalArgumentException("series " + s.name() + " has " + s.values()[0].length
                        + " values per observation; expected " + width + " (" + features + ")");
            }
            fingerprint.update(s.name().getBytes(StandardCharsets.UTF_8));
            for (double[] row : s.values()) {
                for (double v : row) {
                    fingerprint.update(ByteBuffer.allocate(8).putDouble(v).array());
                }
            }
            int split = (int) Math.round(s.size() * (1 - options.validationFraction()));
            for (WindowExamples.Example e : WindowExamples.of(s.values(), s.times(), covariates, window, horizon)) {
                boolean training = e.end() + horizon < split;
                (training ? trainX : validX).add(steps(e.input(), window, width + covariates.width()));
                (training ? trainY : validY)
                        .add(
                                shape == SequenceShape.MANY_TO_ONE
                                        ? new float[][] {e.target()}
                                        : steps(e.target(), horizon, width));
            }
            w.printf(Locale.ROOT, "series %-45s %7d observations%n", s.name(), s.size());
        }
        if (trainX.isEmpty() || validX.isEmpty()) {
            throw new IllegalArgumentException("too little data for windows of " + window + " and horizon " + horizon
                    + ": " + trainX.size() + " training and " + validX.size() + " validation examples; give longer"
                    + " series or a smaller --window");
        }
        w.printf(
                Locale.ROOT,
                "training a %s %s %s forecaster: window %d, horizon %d, %d features, covariates %s; %d training"
                        + " and %d validation windows%n",
                options.cell(),
                options.hiddenSizes(),
                shape,
                window,
                horizon,
                width,
                covariates,
                trainX.size(),
                validX.size());
        w.flush();
        TrainingResult result = new SequenceTrainer(options, shape)
                .train(
                        new LabelledSequences(trainX, trainY, List.of()),
                        new LabelledSequences(validX, validY, List.of()),
                        progress);
        ModelInfo info = NetworkLayout.describe(result.network(), name, version);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_mse", result.bestValidationLoss());
        metrics.put("mean_predictor_validation_mse", result.naiveValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        Map<String, Object> normalisation = new LinkedHashMap<>();
        normalisation.put(
                "method",
                "causal exponentially weighted z-score per series and feature; each window and"
                        + " its targets with the statistics at the window's last observation, as served");
        normalisation.put("memory", Normalizer.MEMORY);
        normalisation.put("clip", (double) Normalizer.CLIP);
        int outputSteps = shape == SequenceShape.MANY_TO_ONE ? 1 : horizon;
        List<String> inputs = new ArrayList<>(features);
        inputs.addAll(covariates.names());
        ModelMetadata metadata = ModelMetadata.of(
                        info,
                        inputs,
                        horizon,
                        window,
                        normalisation,
                        "sha256:" + HexFormat.of().formatHex(fingerprint.digest()) + " over "
                                + data.stream().map(CsvSeries::name).collect(Collectors.joining(",")),
                        metrics,
                        Instant.now())
                .toBuilder()
                .shape(shape)
                .outputSteps(outputSteps)
                .build();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        ModelArtifact.of(result.network(), metadata).write(out);
        w.printf(
                Locale.ROOT,
                "best epoch %d: validation MSE %.5f (mean predictor %.5f), %d outputs x %d steps;" + " wrote %s%n",
                result.bestEpoch(),
                result.bestValidationLoss(),
                result.naiveValidationLoss(),
                info.outputSize(),
                outputSteps,
                out);
        w.flush();
        return metadata;
    }

    private static float[][] steps(float[] flat, int steps, int width) {
        float[][] out = new float[steps][width];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(flat, t * width, out[t], 0, width);
        }
        return out;
    }
}
