package io.seqcast.learn;

import java.util.Arrays;

/**
 * What a series' learned output layer keeps between observations: the inverse input covariance it shares across steps
 * ahead, one weight vector per step ahead, the inputs and origin of every forecast still waiting for its target, a
 * robust error scale per step, the recent values its change inputs are made of, and the series' change scale. Mutable
 * on purpose (advanced in place on the hot path, like the rest of a series' state); stored by the series state's
 * codec as its own section.
 *
 * <p>Layout: {@code covariance} is the upper triangle of a {@code dims x dims} symmetric matrix, row by row;
 * {@code weights} is {@code horizon} rows of {@code dims}; {@code base} holds, per pending origin (row {@code a} was
 * made {@code a + 1} observations before the next one), its {@code baseDims} step-independent inputs; {@code steps}
 * holds per pending origin the {@code stepDims} inputs of each step still ahead of it (row {@code a}: steps {@code a}
 * to {@code horizon - 1}, a triangle); {@code origin} and {@code unit} are each origin's value and unit (NaN: no
 * forecast was learned from at that origin).
 */
public final class HeadState {

    public float[] covariance;
    public float[] weights;
    public float[] base;
    public float[] steps;
    public float[] origin;
    public float[] unit;
    public float[] errorScale;
    /**
     * The last values, most recent first ({@code values[i]} is the value {@code i} observations ago); as many as the
     * change inputs and the seasonal lag input need; NaN where none yet.
     */
    public float[] values;
    /** Recent mean absolute change (difference, or return), the unit of the change inputs; 0 before any. */
    public float changeScale;
    /** Changes seen (capped at the scale's memory). */
    public int changeCount;
    /** Updates of the weights of step 1 (capped), how far the head has learned. */
    public int updates;
    /**
     * Recent mean departure of the series from its first seasonal profile, in the series' units (an exponentially
     * weighted mean; 0 when the layer has no such input).
     */
    public float deviation;

    /** The state of a series never seen: zero weights (the head forecasts no change), the prior covariance. */
    public static HeadState initial(int dims, int baseDims, int stepDims, int horizon, int lags, double prior) {
        HeadState h = new HeadState();
        h.covariance = new float[dims * (dims + 1) / 2];
        for (int i = 0, t = 0; i < dims; t += dims - i, i++) {
            h.covariance[t] = (float) prior;
        }
        h.weights = new float[horizon * dims];
        h.base = new float[horizon * baseDims];
        h.steps = new float[horizon * (horizon + 1) / 2 * stepDims];
        h.origin = new float[horizon];
        h.unit = new float[horizon];
        Arrays.fill(h.unit, Float.NaN);
        h.errorScale = new float[horizon];
        h.values = new float[lags + 1];
        Arrays.fill(h.values, Float.NaN);
        return h;
    }

    /** Forgets the pending origins and recent values (a reset series); keeps what was learned. */
    public void forget() {
        Arrays.fill(unit, Float.NaN);
        Arrays.fill(values, Float.NaN);
    }

    public int horizon() {
        return origin.length;
    }

    public int dims() {
        return weights.length / origin.length;
    }

    /** Recent values kept besides the last (the change lags, or the seasonal lag when longer). */
    public int lags() {
        return values.length - 1;
    }

    /** Offset in {@link #steps} of the inputs of step {@code k} pending at origin row {@code a} ({@code k >= a}). */
    public int stepOffset(int a, int k, int stepDims) {
        int horizon = origin.length;
        int rowStart = a * horizon - a * (a - 1) / 2;
        return (rowStart + (k - a)) * stepDims;
    }
}
