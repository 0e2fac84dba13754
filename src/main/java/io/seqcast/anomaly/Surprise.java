package io.seqcast.anomaly;

/** A series' anomaly-likelihood statistics ({@link AnomalyLikelihood}): its slice of the series' state. */
public final class Surprise {
    /** Short exponentially weighted mean of the raw surprise. */
    public double shortMean;
    /** Long exponentially weighted mean of the short mean. */
    public double mean;
    /** Long exponentially weighted variance of the short mean. */
    public double var;
    /** Raw surprises seen (capped). */
    public int count;
}
