package io.seqcast.testing;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Covariates;
import io.seqcast.event.FieldMapping;
import io.seqcast.forecast.Normalizer;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import io.seqcast.training.OutputHead;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tiny untrained forecaster of each {@link SequenceShape}, the pipeline that serves it, and the offline reference:
 * what that model forecasts for a series when run by DL4J over the series, normalised as the engine documents
 * ({@link Normalizer}: statistics updated with each observation; stateful: each input with the statistics of its own
 * time; windowed: the window, and the outputs, with the statistics at its last observation). Written independently of
 * the engine's window and step code, so that comparing the two checks it.
 */
public final class Shapes {

    private Shapes() {}

    /** An artifact of {@code shape}: {@code features} inputs, {@code horizon} steps of every feature out. */
    public static ModelArtifact artifact(SequenceShape shape, int features, int window, int horizon, long seed) {
        int outputSize = shape.steppable() ? horizon * features : features;
        int outputSteps = shape.steppable() ? 1 : horizon;
        NetworkSpec spec = NetworkSpec.of(CellType.LSTM, List.of(6), features, outputSize, seed)
                .withShape(shape, OutputHead.REGRESSION, outputSteps);
        var net = Networks.build(spec);
        ModelInfo info = io.seqcast.model.NetworkLayout.describe(net, shape.id(), "1");
        List<String> names = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            names.add("v" + f);
        }
        int modelWindow = shape == SequenceShape.MANY_TO_MANY ? 0 : shape == SequenceShape.ONE_TO_MANY ? 1 : window;
        ModelMetadata m =
                ModelMetadata.of(info, names, horizon, modelWindow, Map.of(), "test", Map.of(), Instant.EPOCH)
                        .toBuilder()
                        .shape(shape)
                        .outputSteps(outputSteps)
                        .build();
        return ModelArtifact.of(net, m);
    }

    /** The pipeline serving {@code shape}: stateful for many-to-many, else windowed (stride 1). */
    public static PipelineConfig pipeline(
            String name, String prefix, SequenceShape shape, int features, int window, int horizon) {
        boolean stateful = shape == SequenceShape.MANY_TO_MANY;
        return TestPipelines.pipeline(
                name,
                Path.of(name + ".yaml"),
                new PipelineConfig.Input(
                        prefix + ".obs", new FieldMapping("series", "time", "value", "tags", features)),
                new PipelineConfig.Sampling(Duration.ofMinutes(5), 1.5, PipelineConfig.GapPolicy.IMPUTE, 12),
                Path.of("unused.seqcast"),
                stateful ? PipelineConfig.Mode.STATEFUL : PipelineConfig.Mode.WINDOWED,
                new PipelineConfig.Window(shape == SequenceShape.ONE_TO_MANY ? 1 : window, 1),
                TestPipelines.forecast(horizon, 0.9),
                TestPipelines.anomaly(0.001, 1e-5, 10, 3),
                TestPipelines.output(prefix + ".forecasts", prefix + ".alerts", prefix + ".dlq"));
    }

    /** Observation {@code i} of series {@code s}: {@code features} smooth, distinct values. */
    public static double[] values(int s, int i, int features) {
        double[] v = new double[features];
        for (int f = 0; f < features; f++) {
            v[f] = 1.5 + 0.4 * s + Math.sin(i / 4.0 + s + f) + 0.3 * f + ((i * 7919 + s * 31 + f) % 7) / 35.0;
        }
        return v;
    }

    /**
     * Per observation of {@code series}, the first feature's forecasts for the next {@code horizon} steps that the
     * model makes offline; null where it makes none (the window not yet full).
     */
    public static List<double[]> offline(ModelArtifact artifact, double[][] series, int window, int horizon) {
        return offline(artifact, series, null, Covariates.NONE, window, horizon);
    }

    /**
     * As {@link #offline(ModelArtifact, double[][], int, int)}, each input step followed by the {@code covariates} of
     * its event time ({@code times}, epoch milliseconds), as a model trained with them takes them.
     */
    public static List<double[]> offline(
            ModelArtifact artifact, double[][] series, long[] times, Covariates covariates, int window, int horizon) {
        SequenceShape shape = artifact.metadata().sequenceShape();
        ShapedModel model = artifact.toShapedModel();
        int n = series.length;
        int features = series[0].length;
        double[][] means = new double[n][];
        double[][] vars = new double[n][];
        double[] mean = new double[features];
        double[] var = new double[features];
        for (int t = 0; t < n; t++) {
            for (int f = 0; f < features; f++) {
                Normalizer.update(t, mean, var, f, series[t][f]);
            }
            means[t] = mean.clone();
            vars[t] = var.clone();
        }
        List<double[]> out = new ArrayList<>();
        if (shape == SequenceShape.MANY_TO_MANY) {
            float[][] x = new float[n][features + covariates.width()];
            for (int t = 0; t < n; t++) {
                for (int f = 0; f < features; f++) {
                    x[t][f] = Normalizer.normalize(means[t], vars[t], f, series[t][f]);
                }
                if (!covariates.isEmpty()) {
                    covariates.fill(times[t], x[t], features);
                }
            }
            float[][] y = model.predict(x);
            for (int t = 0; t < n; t++) {
                out.add(first(y[t], means[t], vars[t], features, horizon));
            }
            return out;
        }
        int w = shape == SequenceShape.ONE_TO_MANY ? 1 : window;
        for (int t = 0; t < n; t++) {
            if (t + 1 < w) {
                out.add(null);
                continue;
            }
            float[][] x = new float[w][features + covariates.width()];
            for (int i = 0; i < w; i++) {
                for (int f = 0; f < features; f++) {
                    x[i][f] = Normalizer.normalize(means[t], vars[t], f, (float) series[t - w + 1 + i][f]);
                }
                if (!covariates.isEmpty()) {
                    covariates.fill(times[t - w + 1 + i], x[i], features);
                }
            }
            float[][] y = model.predict(x);
            float[] flat = new float[y.length * y[0].length];
            for (int k = 0; k < y.length; k++) {
                System.arraycopy(y[k], 0, flat, k * y[0].length, y[0].length);
            }
            out.add(first(flat, means[t], vars[t], features, horizon));
        }
        return out;
    }

    private static double[] first(float[] y, double[] mean, double[] var, int features, int horizon) {
        double[] out = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            out[k] = Normalizer.denormalize(mean, var, 0, y[k * features]);
        }
        return out;
    }
}
