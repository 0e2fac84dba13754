package io.seqcast.training;

import io.seqcast.event.Covariates;
import io.seqcast.forecast.Normalizer;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelInputs;
import io.seqcast.model.ModelMetadata;
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
 * of the data and the validation figures; windowed models are trained on windows normalised as they are served
 * ({@link io.seqcast.forecast.WindowExamples}). Progress and results are written to {@code log}.
 */
public final class ForecastTraining {

    private ForecastTraining() {}

    /**
     * Trains many-to-many forecasters of {@code horizon} steps over {@code data}: one across all series written to
     * {@code out} as {@code name}, or with {@code perSeries} one per series written beside it as {@code
     * <out>-<series>.seqcast} named {@code <name>-<series>}.
     */
    public static void manyToMany(
            List<CsvSeries> data,
            boolean perSeries,
            TrainingOptions options,
            int horizon,
            String name,
            String version,
            Path out,
            PrintWriter log,
            TrainingProgress progress)
            throws Exception {
        manyToMany(data, perSeries, options, horizon, 1, OutputHead.REGRESSION, name, version, out, log, progress);
    }

    /**
     * As {@link #manyToMany(List, boolean, TrainingOptions, int, String, String, Path, PrintWriter, TrainingProgress)},
     * each normalised series cut into {@code chunks} consecutive pieces trained side by side (for one long series;
     * {@link TrainingData#chunks}), with output head {@code head} ({@link OutputHead#REGRESSION}: mean squared
     * error, {@link OutputHead#MEDIAN}: mean absolute error).
     */
    public static void manyToMany(
            List<CsvSeries> data,
            boolean perSeries,
            TrainingOptions options,
            int horizon,
            int chunks,
            OutputHead head,
            String name,
            String version,
            Path out,
            PrintWriter log,
            TrainingProgress progress)
            throws Exception {
        manyToMany(
                data,
                perSeries,
                options,
                horizon,
                chunks,
                head,
                ModelInputs.VALUES,
                1.0,
                name,
                version,
                out,
                log,
                progress);
    }

    /**
     * As {@link #manyToMany(List, boolean, TrainingOptions, int, int, OutputHead, String, String, Path, PrintWriter,
     * TrainingProgress)}, the network reading {@code inputs} at every step (recorded in the artifact's input feature
     * names, so that the engine computes the same), its learning rate multiplied by {@code decay} per epoch.
     */
    public static void manyToMany(
            List<CsvSeries> data,
            boolean perSeries,
            TrainingOptions options,
            int horizon,
            int chunks,
            OutputHead head,
            ModelInputs inputs,
            double decay,
            String name,
            String version,
            Path out,
            PrintWriter log,
            TrainingProgress progress)
            throws Exception {
        if (!perSeries) {
            trainAndWrite(data, options, horizon, chunks, head, inputs, decay, name, version, out, log, progress);
            return;
        }
        String stem = out.getFileName().toString().replaceAll("\\.seqcast$", "");
        for (CsvSeries s : data) {
            String safe = s.name().replaceAll("[^A-Za-z0-9._-]", "_");
            trainAndWrite(
                    List.of(s),
                    options,
                    horizon,
                    chunks,
                    head,
                    inputs,
                    decay,
                    name + "-" + safe,
                    version,
                    out.resolveSibling(stem + "-" + safe + ".seqcast"),
                    log,
                    progress);
        }
    }

    /** Trains one many-to-many forecaster over {@code data} and writes it to {@code target}. */
    private static void trainAndWrite(
            List<CsvSeries> data,
            TrainingOptions options,
            int horizon,
            int chunks,
            OutputHead head,
            ModelInputs inputs,
            double decay,
            String modelName,
            String version,
            Path target,
            PrintWriter w,
            TrainingProgress progress)
            throws Exception {
        List<float[]> series = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (CsvSeries s : data) {
            series.addAll(TrainingData.chunks(Normalizer.normalizeSeries(s.firstColumn()), chunks));
            fingerprint.update(s.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (double v : s.firstColumn()) {
                fingerprint.update(java.nio.ByteBuffer.allocate(8).putDouble(v).array());
            }
            w.printf(Locale.ROOT, "series %-45s %7d observations%n", s.name(), s.size());
        }
        w.printf(
                Locale.ROOT,
                "training %s %s %s, inputs %s, horizon %d, up to %d epochs (seed %d)%n",
                modelName,
                options.cell(),
                options.hiddenSizes(),
                inputs.id(),
                horizon,
                options.maxEpochs(),
                options.seed());
        w.flush();
        TrainingResult result = new Trainer(options, head, inputs, decay).train(series, horizon, progress);
        String loss = head == OutputHead.MEDIAN ? "mae" : "mse";
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_" + loss, result.bestValidationLoss());
        metrics.put("naive_validation_" + loss, result.naiveValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        ModelInfo info =
                new ModelInfo(modelName, version, options.cell(), options.hiddenSizes(), inputs.width(1), horizon);
        ModelMetadata metadata = ModelMetadata.of(
                info,
                inputs.names(List.of("value")),
                horizon,
                0,
                normalisation(),
                "sha256:" + HexFormat.of().formatHex(fingerprint.digest()) + " over "
                        + data.stream().map(CsvSeries::name).collect(Collectors.joining(",")),
                metrics,
                Instant.now());
        write(result, metadata, target);
        w.printf(
                Locale.ROOT,
                "best epoch %d: validation %s %.5f (naive last value %.5f)%s; wrote %s%n",
                result.bestEpoch(),
                loss.toUpperCase(Locale.ROOT),
                result.bestValidationLoss(),
                result.naiveValidationLoss(),
                result.stoppedEarly() ? ", stopped early" : "",
                target);
        w.flush();
    }

    /**
     * Trains a windowed forecaster ({@link WindowedTraining}: many-to-one, encoder-decoder or one-to-many) over
     * {@code data}, whose observations carry {@code features} (named) values: one across all series written to
     * {@code out}, or with {@code perSeries} one per series written beside it as {@code <out>-<series>.seqcast}.
     */
    public static void windowed(
            List<CsvSeries> data,
            List<String> features,
            boolean perSeries,
            SequenceShape shape,
            int window,
            int horizon,
            TrainingOptions options,
            String name,
            String version,
            Path out,
            PrintWriter w,
            TrainingProgress progress)
            throws Exception {
        windowed(
                data,
                features,
                Covariates.NONE,
                perSeries,
                shape,
                window,
                horizon,
                options,
                name,
                version,
                out,
                w,
                progress);
    }

    /**
     * As {@link #windowed(List, List, boolean, SequenceShape, int, int, TrainingOptions, String, String, Path,
     * PrintWriter, TrainingProgress)}, each input step followed by the {@code covariates} of its event time.
     */
    public static void windowed(
            List<CsvSeries> data,
            List<String> features,
            Covariates covariates,
            boolean perSeries,
            SequenceShape shape,
            int window,
            int horizon,
            TrainingOptions options,
            String name,
            String version,
            Path out,
            PrintWriter w,
            TrainingProgress progress)
            throws Exception {
        if (!perSeries) {
            new WindowedTraining(shape, window, horizon, options, features, name, version, covariates)
                    .trainAndWrite(data, out, w, progress);
            return;
        }
        String stem = out.getFileName().toString().replaceAll("\\.seqcast$", "");
        for (CsvSeries s : data) {
            String safe = s.name().replaceAll("[^A-Za-z0-9._-]", "_");
            new WindowedTraining(shape, window, horizon, options, features, name + "-" + safe, version, covariates)
                    .trainAndWrite(List.of(s), out.resolveSibling(stem + "-" + safe + ".seqcast"), w, progress);
        }
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
