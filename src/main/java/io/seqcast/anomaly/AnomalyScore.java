package io.seqcast.anomaly;

import org.apache.commons.math3.special.Erf;

/**
 * The anomaly score of an observation: how unlikely its forecast residual is, given the series' own recent residuals.
 * With {@code s} the residual in units of the recent root-mean-square residual, the tail probability is
 * {@code p = P(|Z| >= s)} for a standard normal Z, and the score is {@code 1 - p}. So on a series whose residuals
 * behave as before, a threshold of {@code 1 - r} on the score is crossed by a share {@code r} of observations: the
 * sensitivity setting reads as an expected false-alert rate.
 *
 * @param sigmas the residual in units of the recent RMS residual (non-negative)
 * @param tail the two-sided tail probability, in (0,1]
 */
public record AnomalyScore(double sigmas, double tail) {

    public static final AnomalyScore NONE = new AnomalyScore(0, 1);

    public static AnomalyScore ofSigmas(double sigmas) {
        double s = Math.abs(sigmas);
        if (!Double.isFinite(s)) {
            return new AnomalyScore(Double.MAX_VALUE, Double.MIN_VALUE);
        }
        return new AnomalyScore(s, Math.max(Erf.erfc(s / Math.sqrt(2)), Double.MIN_VALUE));
    }

    /** The score, in [0,1]. */
    public double score() {
        return 1.0 - tail;
    }

    /** Orders of magnitude of unlikeliness: {@code -log10(tail)}. */
    public double surprise() {
        return -Math.log10(tail);
    }
}
