package io.seqcast.anomaly;

import org.apache.commons.math3.special.Erf;

/**
 * Turns the raw surprise of each observation (its forecast residuals in units of their recent RMS) into an anomaly
 * likelihood, in the manner of Numenta's HTM anomaly likelihood (Ahmad et al. 2017): a short exponentially weighted
 * mean of the raw surprise is compared with the long-run distribution of that same mean in this series, and the
 * upper Gaussian tail of where it lies is the likelihood's tail probability. So a series that is always noisy does
 * not alarm, and a burst of moderately surprising observations alarms as well as one very surprising one. Its tail
 * is what the sensitivity setting (an expected false-alert rate) is a threshold of; {@link Novelty} adds what is new
 * to the series.
 *
 * <p>Everything it keeps is in the series' {@link Surprise} (a few numbers); causal: the score of an observation uses only the
 * statistics of the observations before it, updated afterwards by {@link #update}.
 */
public final class AnomalyLikelihood {

    /** Memory, in observations, of the short mean of the raw surprise. */
    static final double SHORT = 10;
    /** Memory, in observations, of the long-run distribution of the short mean. */
    static final double LONG = 2000;
    /** Raw surprises needed before the likelihood scores anything. */
    static final int MIN_COUNT = 100;

    /** Smallest tail probability kept. */
    public static final double MIN_TAIL = 1e-300;

    private AnomalyLikelihood() {}

    /**
     * The raw surprise of a residual of {@code sigmas} recent RMS residuals: {@code P(|Z| < sigmas)}, in [0,1]. (Measured
     * against {@code sigmas} squared or capped, and against a log tail: those rank NAB's anomalies worse.)
     */
    public static double raw(double sigmas) {
        return 1 - Erf.erfc(Math.abs(sigmas) / Math.sqrt(2));
    }

    /**
     * The anomaly score of an observation of raw surprise {@code raw}, a residual of {@code sigmas}, from the
     * statistics before it. Does not change the state.
     */
    public static AnomalyScore score(Surprise s, double raw, double sigmas) {
        double shortMean = s.count == 0 ? raw : s.shortMean + (raw - s.shortMean) / SHORT;
        double tail = 1;
        if (s.count >= MIN_COUNT) {
            double sd = Math.sqrt(Math.max(s.var, 1e-12));
            double z = (shortMean - s.mean) / sd;
            tail = Math.max(0.5 * Erf.erfc(z / Math.sqrt(2)), Double.MIN_VALUE);
        }
        return new AnomalyScore(Math.abs(sigmas), Math.max(tail, MIN_TAIL));
    }

    /** Adds the observation to the statistics. */
    public static void update(Surprise s, double raw) {
        if (s.count == 0) {
            s.shortMean = raw;
        } else {
            s.shortMean += (raw - s.shortMean) / SHORT;
        }
        double alpha = 1.0 / Math.min(s.count + 1, LONG);
        double delta = s.shortMean - s.mean;
        s.mean += alpha * delta;
        s.var = (1 - alpha) * (s.var + alpha * delta * delta);
        if (s.count < Integer.MAX_VALUE) {
            s.count++;
        }
    }
}
