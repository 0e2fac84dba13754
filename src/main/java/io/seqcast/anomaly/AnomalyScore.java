package io.seqcast.anomaly;

/**
 * The anomaly score of an observation: how unlikely it is, given the series' own past, in orders of magnitude of
 * unlikeliness ({@link #surprise}) and as a tail probability {@code p = 10^-surprise}. The published score is
 * {@code surprise / 100}, capped at 1: orders of magnitude, so that scores keep their order far into the tail (a linear
 * {@code 1 - p} rounds every {@code p < 1e-16} to 1); novelty's are graded, the residual likelihood's in whole
 * orders ({@link AnomalyFusion}). A rate {@code r} is the score threshold
 * {@link #thresholdOf thresholdOf(r)}: 0.03 for 0.001.
 *
 * @param sigmas the forecast residual in units of the recent RMS residual (non-negative)
 * @param tail the tail probability, in (0,1]
 * @param surprise orders of magnitude of unlikeliness, {@code -log10(tail)} (kept exactly: not recomputed from tail)
 * @param kind what found it (null when nothing did)
 * @param threshold the score threshold this observation is held to, of the part that found it (see
 *     {@link AnomalyFusion}), in [0,1]
 * @param alarming true when it crosses that threshold: the observation opens or keeps open an alert
 */
public record AnomalyScore(
        double sigmas, double tail, double surprise, AnomalyKind kind, double threshold, boolean alarming) {

    public static final AnomalyScore NONE = new AnomalyScore(0, 1, 0, null, 1, false);

    /** Orders of magnitude of unlikeliness that make a score of 1. */
    public static final double SCALE = 100;

    /** A score of tail probability {@code tail} alone (alarming at none), for tests and tools. */
    public AnomalyScore(double sigmas, double tail) {
        this(sigmas, tail, Math.max(0, -Math.log10(tail)), null, 1, false);
    }

    /** The score, in [0,1]. */
    public double score() {
        return Math.min(1.0, surprise / SCALE);
    }

    /** The score threshold of an expected false-alert rate. */
    public static double thresholdOf(double rate) {
        return Math.min(1.0, -Math.log10(rate) / SCALE);
    }
}
