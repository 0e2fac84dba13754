package io.seqcast.forecast;

/**
 * Causal per-series normalisation: a running mean and variance per feature, cumulative over the first
 * {@link #MEMORY} observations and exponentially weighted (memory {@code MEMORY}) after that, so that a drifting
 * series keeps a useful scale. Training and serving use this same class, so the network sees the same inputs in
 * both.
 *
 * <p>Stateless: the statistics live in the caller's arrays (the series' state), updated in place.
 */
public final class Normalizer {

    /** Observations of memory of the exponentially weighted statistics. */
    public static final int MEMORY = 1000;
    /** Normalised inputs are clipped to this magnitude, so one wild value cannot saturate the network. */
    public static final float CLIP = 10f;

    private Normalizer() {}

    /** Adds {@code x} to the statistics of feature {@code f}; {@code count} is the number of updates before this one. */
    public static void update(long count, double[] mean, double[] var, int f, double x) {
        double alpha = 1.0 / Math.min(count + 1, MEMORY);
        double delta = x - mean[f];
        mean[f] += alpha * delta;
        var[f] = (1 - alpha) * (var[f] + alpha * delta * delta);
    }

    /** Standard deviation of feature {@code f}, floored so that a constant series still normalises finitely. */
    public static double std(double[] mean, double[] var, int f) {
        double floor = Math.max(1e-6, 1e-4 * Math.abs(mean[f]));
        return Math.max(Math.sqrt(var[f]), floor);
    }

    /** The normalised, clipped value of {@code x} for feature {@code f}. */
    public static float normalize(double[] mean, double[] var, int f, double x) {
        double z = (x - mean[f]) / std(mean, var, f);
        return (float) Math.max(-CLIP, Math.min(CLIP, z));
    }

    /** The value of normalised {@code z} for feature {@code f}. */
    public static double denormalize(double[] mean, double[] var, int f, double z) {
        return mean[f] + std(mean, var, f) * z;
    }

    /**
     * Normalises a whole series as the engine would, observation by observation (for training and for tests).
     *
     * @return the normalised values, one per input value
     */
    public static float[] normalizeSeries(double[] values) {
        double[] mean = new double[1];
        double[] var = new double[1];
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            update(i, mean, var, 0, values[i]);
            out[i] = normalize(mean, var, 0, values[i]);
        }
        return out;
    }

    /**
     * Normalises the first {@code steps} steps of a window of raw values ({@code features} per step, oldest first)
     * with the series' statistics now, after its last observation was added: how the windowed mode feeds its model
     * ({@code ModelStage}), and how {@link WindowExamples} makes the training examples of windowed models, so that
     * the network sees the same inputs in both.
     */
    public static void normalizeWindow(double[] mean, double[] var, float[] raw, int steps, int features, float[] out) {
        for (int i = 0; i < steps * features; i++) {
            out[i] = normalize(mean, var, i % features, raw[i]);
        }
    }
}
