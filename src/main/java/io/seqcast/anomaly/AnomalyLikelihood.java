package io.seqcast.anomaly;

import io.seqcast.state.SeriesState;
import org.apache.commons.math3.special.Erf;

/**
 * Turns the raw surprise of each observation (its forecast residuals in units of their recent RMS) into an anomaly
 * likelihood, in the manner of Numenta's HTM anomaly likelihood (Ahmad et al. 2017): a short exponentially weighted
 * mean of the raw surprise is compared with the long-run distribution of that same mean in this series, and the
 * upper Gaussian tail of where it lies is the likelihood's tail probability. So a series that is always noisy does
 * not alarm, and a burst of moderately surprising observations alarms as well as one very surprising one. A value
 * outside the range the series has ever shown, by more than a tolerance, is scored as an anomaly regardless.
 *
 * <p>Everything it keeps is in the series' state (a few numbers); causal: the score of an observation uses only the
 * statistics of the observations before it, updated afterwards by {@link #update}.
 */
public final class AnomalyLikelihood {

    static final double SHORT = Double.parseDouble(System.getProperty("seqcast.short", "10"));
    static final double LONG = Double.parseDouble(System.getProperty("seqcast.long", "2000"));
    static final double SPATIAL = Double.parseDouble(System.getProperty("seqcast.spatial", "0.05"));
    static final int MIN_COUNT = Integer.getInteger("seqcast.mincount", 100);
    static final double CAP = Double.parseDouble(System.getProperty("seqcast.cap", "25"));
    static final String RAW = System.getProperty("seqcast.raw", "tail");

    private AnomalyLikelihood() {}

    /** The raw surprise of a residual of {@code sigmas} recent RMS residuals. */
    public static double raw(double sigmas) {
        double z = Math.abs(sigmas);
        return switch (RAW) {
            case "z2" -> Math.min(z * z, CAP);
            case "z" -> Math.min(z, CAP);
            default -> 1 - Erf.erfc(z / Math.sqrt(2));
        };
    }

    /**
     * The anomaly score of an observation of raw surprise {@code raw} and target value {@code x}, from the
     * statistics before it. Does not change the state.
     */
    public static AnomalyScore score(SeriesState s, double raw, double x, double sigmas) {
        double shortMean = s.surpriseCount == 0 ? raw : s.surpriseShort + (raw - s.surpriseShort) / SHORT;
        double tail = 1;
        if (s.surpriseCount >= MIN_COUNT) {
            double sd = Math.sqrt(Math.max(s.surpriseVar, 1e-12));
            double z = (shortMean - s.surpriseMean) / sd;
            tail = Math.max(0.5 * Erf.erfc(z / Math.sqrt(2)), Double.MIN_VALUE);
        }
        if (SPATIAL > 0 && s.surpriseCount >= MIN_COUNT && s.seenMax > s.seenMin) {
            double tolerance = SPATIAL * (s.seenMax - s.seenMin);
            if (x > s.seenMax + tolerance || x < s.seenMin - tolerance) {
                tail = Math.min(tail, 1e-12);
            }
        }
        return new AnomalyScore(Math.abs(sigmas), tail);
    }

    /** Adds the observation to the statistics. */
    public static void update(SeriesState s, double raw, double x) {
        if (s.surpriseCount == 0) {
            s.surpriseShort = raw;
        } else {
            s.surpriseShort += (raw - s.surpriseShort) / SHORT;
        }
        double alpha = 1.0 / Math.min(s.surpriseCount + 1, LONG);
        double delta = s.surpriseShort - s.surpriseMean;
        s.surpriseMean += alpha * delta;
        s.surpriseVar = (1 - alpha) * (s.surpriseVar + alpha * delta * delta);
        if (s.surpriseCount < Integer.MAX_VALUE) {
            s.surpriseCount++;
        }
        s.seenMin = Math.min(s.seenMin, x);
        s.seenMax = Math.max(s.seenMax, x);
    }
}
