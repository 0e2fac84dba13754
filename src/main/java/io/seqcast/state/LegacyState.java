package io.seqcast.state;

import java.util.Arrays;

/**
 * A series' state as format versions 1 to 5 stored it: every field of every concern in one bag. Read by
 * {@link LegacyStateReader} only; each stage takes its slice from it ({@link Section#upgrade}) when it adopts a state
 * of an old format, so that series keep running across the upgrade. Fields a version lacks hold their initial values.
 */
public final class LegacyState {

    /** Event time of the last accepted observation, or {@link Long#MIN_VALUE} before the first. */
    public long lastTime = Long.MIN_VALUE;
    /** Observations accepted, ever. */
    public long count;
    /** Steps since the series started or last reset (observations and imputed steps); warm-up counts these. */
    public long sinceReset;
    /** Updates of the normalisation statistics. */
    public long normCount;
    /** Normalisation mean per feature. */
    public double[] mean;
    /** Normalisation variance per feature. */
    public double[] var;
    /** Recurrent hidden state of every layer (h, and c for LSTM), as laid out by the model; empty when windowed. */
    public float[] hidden;
    /**
     * Pending forecasts, most recent first: row {@code a} (of {@code horizon} rows) is the forecast made {@code a+1}
     * steps ago, {@code horizon * features} raw values, step-major; NaN where none was made. Of row {@code a} only steps
     * {@code a} on are read (and stored): the earlier ones are for times already past.
     */
    public float[] pending;
    /** Exponentially weighted mean squared normalised residual, per step ahead and feature. */
    public float[] residualMs;
    /** Residuals seen per step ahead (capped), to weight the first ones. */
    public int[] residualCount;
    /** Open alert: event time it opened at, or {@link Long#MIN_VALUE} when no alert is open. */
    public long alertOpenedAt = Long.MIN_VALUE;
    /** Open alert: severity ordinal. */
    public byte alertSeverity;
    /** Open alert: highest score since it opened. */
    public double alertPeakScore;
    /** Open alert: consecutive normal observations since the last abnormal one. */
    public int alertNormalStreak;
    /** Interval calibration: multiplier of the normal-theory half-width, per step ahead (adapted online). */
    public float[] intervalScale;
    /** Anomaly likelihood: short exponentially weighted mean of the raw surprise. */
    public double surpriseShort;
    /** Anomaly likelihood: long exponentially weighted mean of the short mean. */
    public double surpriseMean;
    /** Anomaly likelihood: long exponentially weighted variance of the short mean. */
    public double surpriseVar;
    /** Anomaly likelihood: raw surprises seen (capped). */
    public int surpriseCount;
    /** Smallest target value seen (the range a new value is compared with). */
    public double seenMin = Double.POSITIVE_INFINITY;
    /** Largest target value seen. */
    public double seenMax = Double.NEGATIVE_INFINITY;
    /** Novelty: the last observed target value (NaN before the first). */
    public float lastValue = Float.NaN;
    /** Novelty: short mean per feature (activity, then one per seasonal profile); see {@code anomaly.Novelty}. */
    public float[] noveltyMean;
    /** Novelty: smallest short mean per feature. */
    public float[] noveltyLo;
    /** Novelty: largest short mean per feature. */
    public float[] noveltyHi;
    /** Novelty: values of each feature seen (capped). */
    public int[] noveltyCount;
    /** Novelty: event time of the last novelty (its refractory period), or {@link Long#MIN_VALUE}. */
    public long noveltyAt = Long.MIN_VALUE;
    /** Seasonal profiles, all together: the mean of each bucket in its last season; NaN where never filled. */
    public float[] profiles;
    /** Per profile: the bucket being filled, or -1. */
    public int[] profileBucket;
    /** Per profile: sum of the values in the bucket being filled. */
    public float[] profileSum;
    /** Per profile: values in the bucket being filled. */
    public int[] profileCount;
    /** Combined forecasts: recent mean squared error per candidate and step; empty when not combined. */
    public float[] candidateMse = new float[0];
    /** Combined forecasts: errors seen per candidate (capped). */
    public int[] candidateCount = new int[0];
    /** Combined forecasts: the model's own pending target forecasts, laid out as {@link #pending} for one feature. */
    public float[] modelPending = new float[0];
    /** Combined forecasts: the last {@code horizon} target values, most recent first; NaN where none. */
    public float[] recent = new float[0];
    /** Windowed mode: the last observations, raw, ring buffer of {@code length * features}. */
    public float[] window;
    /** Windowed mode: observations in the window (at most its length). */
    public int windowFill;
    /** Windowed mode: next write position in the ring, in observations. */
    public int windowHead;
    /** Windowed mode: observations since the model last ran. */
    public int sinceRun;
    /**
     * Identifies the network architecture the hidden state belongs to (cell, layer sizes, inputs, outputs); 0 when
     * unknown (a state written before this field existed). A hot-swapped model of another architecture resets it.
     */
    public int architecture;

    /** Fresh novelty statistics: {@code features} features, profiles of {@code profileBuckets} buckets each. */
    void initNovelty(int features, int[] profileBuckets) {
        noveltyMean = new float[features];
        noveltyLo = new float[features];
        noveltyHi = new float[features];
        noveltyCount = new int[features];
        profiles = new float[Arrays.stream(profileBuckets).sum()];
        Arrays.fill(profiles, Float.NaN);
        profileBucket = new int[profileBuckets.length];
        Arrays.fill(profileBucket, -1);
        profileSum = new float[profileBuckets.length];
        profileCount = new int[profileBuckets.length];
    }

    public boolean alertOpen() {
        return alertOpenedAt != Long.MIN_VALUE;
    }

    public int features() {
        return mean.length;
    }

    public int horizon() {
        return residualCount.length;
    }

    public int windowLength() {
        return window.length / mean.length;
    }
}
