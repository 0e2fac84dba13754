package io.seqcast.anomaly;

/**
 * The anomaly score of an observation: how unlikely it is, given the series' own past, as a tail probability
 * {@code p} (see {@link AnomalyLikelihood}): on a series that behaves as before, a share {@code r} of observations has
 * {@code p <= r}, so the sensitivity setting (alert when {@code p <= r}) reads as an expected false-alert rate. The
 * published score is {@code -log10(p) / 100}, capped at 1: orders of magnitude of unlikeliness, so that scores keep
 * their order far into the tail (a linear {@code 1 - p} rounds every {@code p < 1e-16} to 1). A rate {@code r} is the
 * score threshold {@link #thresholdOf thresholdOf(r)}: 0.03 for 0.001.
 *
 * @param sigmas the forecast residual in units of the recent RMS residual (non-negative)
 * @param tail the tail probability, in (0,1]
 */
public record AnomalyScore(double sigmas, double tail) {

    public static final AnomalyScore NONE = new AnomalyScore(0, 1);

    /** Orders of magnitude of unlikeliness that make a score of 1. */
    public static final double SCALE = 100;

    /** The score, in [0,1]. */
    public double score() {
        return Math.min(1.0, surprise() / SCALE);
    }

    /** The score threshold of an expected false-alert rate. */
    public static double thresholdOf(double rate) {
        return Math.min(1.0, -Math.log10(rate) / SCALE);
    }

    /** Orders of magnitude of unlikeliness: {@code -log10(tail)}. */
    public double surprise() {
        return Math.max(0, -Math.log10(tail));
    }
}
