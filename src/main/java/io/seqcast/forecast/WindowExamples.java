package io.seqcast.forecast;

import io.seqcast.event.Covariates;
import java.util.ArrayList;
import java.util.List;

/**
 * The training examples of a windowed forecaster, made exactly as the windowed mode serves it: per series, the
 * statistics are updated observation by observation ({@link Normalizer#update}); at each observation, the window of
 * the last {@code window} observations (raw, held as float as the engine's window holds them) is normalised with the
 * statistics of that moment ({@link Normalizer#normalizeWindow}), and so are the next {@code horizon} observations,
 * its targets. The model's outputs are denormalised with the same statistics when served.
 */
public final class WindowExamples {

    /**
     * One example.
     *
     * @param input {@code window x features} normalised values, oldest first, step-major
     * @param target {@code horizon x features} normalised values, step-major
     * @param end index of the window's last observation in its series
     */
    public record Example(float[] input, float[] target, int end) {}

    private WindowExamples() {}

    /**
     * Every example of one series of {@code values[time][feature]}: one per observation with a full window behind it
     * and {@code horizon} observations after it.
     */
    public static List<Example> of(double[][] values, int window, int horizon) {
        return of(values, null, Covariates.NONE, window, horizon);
    }

    /**
     * As {@link #of(double[][], int, int)}, each input step followed by the {@code covariates} of its observation's
     * event time ({@code times}, epoch milliseconds; unused without covariates), as the engine's model stage appends
     * them: the input is {@code window x (features + covariates.width())}, the targets the values alone.
     */
    public static List<Example> of(double[][] values, long[] times, Covariates covariates, int window, int horizon) {
        int features = values.length == 0 ? 1 : values[0].length;
        double[] mean = new double[features];
        double[] var = new double[features];
        float[] raw = new float[window * features];
        List<Example> out = new ArrayList<>();
        for (int t = 0; t < values.length; t++) {
            for (int f = 0; f < features; f++) {
                Normalizer.update(t, mean, var, f, values[t][f]);
            }
            if (t + 1 < window || t + horizon >= values.length) {
                continue;
            }
            for (int i = 0; i < window; i++) {
                for (int f = 0; f < features; f++) {
                    raw[i * features + f] = (float) values[t - window + 1 + i][f];
                }
            }
            float[] input = new float[window * features];
            Normalizer.normalizeWindow(mean, var, raw, window, features, input);
            if (!covariates.isEmpty()) {
                int width = features + covariates.width();
                float[] with = new float[window * width];
                for (int i = 0; i < window; i++) {
                    System.arraycopy(input, i * features, with, i * width, features);
                    covariates.fill(times[t - window + 1 + i], with, i * width + features);
                }
                input = with;
            }
            float[] target = new float[horizon * features];
            for (int k = 0; k < horizon; k++) {
                for (int f = 0; f < features; f++) {
                    target[k * features + f] = Normalizer.normalize(mean, var, f, values[t + 1 + k][f]);
                }
            }
            out.add(new Example(input, target, t));
        }
        return out;
    }
}
