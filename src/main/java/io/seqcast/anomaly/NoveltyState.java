package io.seqcast.anomaly;

import java.util.Arrays;

/** A series' novelty statistics ({@link Novelty}): its slice of the series' state. */
public final class NoveltyState {
    /** Smallest target value seen (the range a new value is compared with). */
    public double seenMin = Double.POSITIVE_INFINITY;
    /** Largest target value seen. */
    public double seenMax = Double.NEGATIVE_INFINITY;
    /** The last observed target value (NaN before the first). */
    public float lastValue = Float.NaN;
    /** Short mean per feature (activity, then one per seasonal profile). */
    public float[] mean;
    /** Smallest short mean per feature. */
    public float[] lo;
    /** Largest short mean per feature. */
    public float[] hi;
    /** Values of each feature seen (capped). */
    public int[] count;
    /** Event time of the last novelty (its refractory period), or {@link Long#MIN_VALUE}. */
    public long noveltyAt = Long.MIN_VALUE;

    /** Fresh statistics of {@code features} features. */
    public NoveltyState(int features) {
        initFeatures(features);
    }

    /** Forgets the statistics of every feature, keeping the range of values seen and the refractory time. */
    public void initFeatures(int features) {
        mean = new float[features];
        lo = new float[features];
        hi = new float[features];
        count = new int[features];
    }

    public int features() {
        return mean.length;
    }

    @Override
    public String toString() {
        return "NoveltyState[" + seenMin + ".." + seenMax + ", " + Arrays.toString(count) + "]";
    }
}
