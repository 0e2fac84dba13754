package io.seqcast.anomaly;

import org.apache.commons.math3.special.Erf;

/**
 * The anomaly likelihood of forecast residuals, after Numenta's HTM anomaly likelihood (Ahmad et al. 2017): each
 * residual gets a raw surprise in [0,1], a short mean of the raw surprise is compared with the long-run distribution of
 * that mean in this series, and the upper Gaussian tail of where it lies is the likelihood's tail probability. So a
 * series that is always noisy does not alarm, and a burst of moderately surprising residuals alarms as well as one very
 * surprising one.
 *
 * <p>As in HTM, the raw surprise is sparse: 0 for a residual within {@value #RAMP_LOW} recent RMS residuals, rising
 * linearly to 1 at {@value #RAMP_HIGH} (HTM's raw score is the share of the input it did not predict: mostly 0). A raw
 * surprise spread over [0,1] for ordinary residuals ({@code P(|Z| < sigmas)}, uniform for Gaussian residuals, as
 * before) buries a spike in the short mean of ordinary ones: on NAB it scored 8 against 57 for the ramp. The long-run
 * mean and variance are floored ({@value #MEAN_FLOOR}, {@value #VAR_FLOOR}, HTM's values), so that a series whose
 * residuals are almost always small does not turn its first moderate one into an astronomically small tail. And, as
 * HTM's filter, an episode is reported by its first observation: a red ({@value #RED} orders of magnitude and more)
 * surprise after a red one is lowered to {@value #YELLOW}; and an alert is opened only at the onset of an episode,
 * which lasts until the surprise falls below {@value #YELLOW} (its tail between yellow and red re-opened alerts).
 *
 * <p>The sensitivity setting is a share of observations that may open an alert on a series that behaves as before.
 * The likelihood's tail is a ranking, not a calibrated probability (its floors make it conservative on Gaussian
 * residuals; heavy-tailed residuals cross any fixed level more often), so each series calibrates its own alert level
 * online: it starts at {@code -log10(rate)} orders of magnitude and is raised by a factor {@code e^}{@value #LEVEL_STEP}
 * at each onset of surprise above it, lowered by {@code e^(-}{@value #LEVEL_STEP}{@code  * rate)} at every other
 * observation, so that onsets occur at the share {@code rate} of observations in the long run (stochastic
 * approximation). The published score is not calibrated: it ranks.
 *
 * <p>Causal: an observation is scored with the statistics of the observations before it, then added to them. All it
 * keeps is a {@link LikelihoodState} of a few numbers. The settings were chosen by cross-validation on NAB
 * ({@code scripts/nab_novelty_sweep.py}, EVALUATION.md).
 */
public final class AnomalyLikelihood {

    /** Residual, in recent RMS residuals, below which the raw surprise is 0. */
    static final double RAMP_LOW = 3;
    /** Residual, in recent RMS residuals, from which the raw surprise is 1. */
    static final double RAMP_HIGH = 10;
    /** Memory, in residuals, of the RMS residual. */
    static final int SCALE_MEMORY = 500;
    /** Memory, in observations, of the short mean of the raw surprise. */
    static final double SHORT = 5;
    /** Memory, in observations, of the long-run distribution of the short mean. */
    static final double LONG = 500;
    /** Short means needed before the likelihood scores anything. */
    static final int MIN_COUNT = 288;
    /** Floors of the long-run mean and variance of the short mean (HTM's). */
    static final double MEAN_FLOOR = 0.03;

    static final double VAR_FLOOR = 0.0003;
    /** Orders of magnitude from which a surprise is red; red after red is lowered to yellow. */
    static final double RED = 5;

    static final double YELLOW = 3;
    /** Step of the alert level's calibration (log scale, per onset). */
    static final double LEVEL_STEP = 0.1;
    /** Bounds of the alert level, in orders of magnitude. */
    static final double LEVEL_MIN = 0.01;

    static final double LEVEL_MAX = 300;

    /** Smallest tail probability kept. */
    public static final double MIN_TAIL = 1e-300;

    private AnomalyLikelihood() {}

    /**
     * The likelihood's verdict on one residual.
     *
     * @param surprise orders of magnitude of unlikeliness, {@code -log10(tail)}, episode-filtered; 0 while warming up
     * @param alertLevel the surprise a residual alert needs in this series (calibrated to the false-alert rate);
     *     infinite while warming up and within an episode already reported
     */
    public record Verdict(double surprise, double alertLevel) {

        public static final Verdict NONE = new Verdict(0, Double.POSITIVE_INFINITY);

        /** True when this residual should open (or keep open) an alert. */
        public boolean alarming() {
            return surprise > 0 && surprise >= alertLevel;
        }
    }

    /**
     * Scores the forecast residual {@code residual} (observed minus forecast, in the series' units) with the statistics
     * of the residuals before it, then adds it to them.
     *
     * @param rate the pipeline's false-alert rate: the share of observations of a series that behaves as before that
     *     may open a residual alert
     */
    public static Verdict observe(LikelihoodState s, double residual, double rate) {
        double raw = 0;
        if (s.residualCount > 0) {
            double rms = Math.sqrt(s.residualMs);
            double sigmas = rms > 0 ? Math.abs(residual) / rms : residual == 0 ? 0 : Double.POSITIVE_INFINITY;
            raw = Math.min(1, Math.max(0, (sigmas - RAMP_LOW) / (RAMP_HIGH - RAMP_LOW)));
        }
        double beta = 1.0 / Math.min(s.residualCount + 1, SCALE_MEMORY);
        s.residualMs = (1 - beta) * s.residualMs + beta * residual * residual;
        if (s.residualCount < SCALE_MEMORY) {
            s.residualCount++;
        }
        s.shortMean = s.count == 0 ? raw : s.shortMean + (raw - s.shortMean) / SHORT;
        double surprise = 0;
        boolean judged = s.count >= MIN_COUNT;
        if (judged) {
            double sd = Math.sqrt(Math.max(s.var, VAR_FLOOR));
            double z = (s.shortMean - Math.max(s.mean, MEAN_FLOOR)) / sd;
            surprise = -Math.log10(Math.max(0.5 * Erf.erfc(z / Math.sqrt(2)), MIN_TAIL));
        }
        boolean red = surprise >= RED;
        if (red && s.red) {
            surprise = Math.min(surprise, YELLOW); // HTM's filter: red after red is lowered
        }
        s.red = red;
        // the episode a red surprise opens lasts until the surprise falls below yellow: it alarms once
        boolean continuing = s.episode && surprise >= YELLOW;
        if (!continuing) {
            s.episode = red;
        }
        double alpha = 1.0 / Math.min(s.count + 1, LONG);
        double delta = s.shortMean - s.mean;
        s.mean += alpha * delta;
        s.var = (1 - alpha) * (s.var + alpha * delta * delta);
        if (s.count < Integer.MAX_VALUE) {
            s.count++;
        }
        if (!judged) {
            return new Verdict(surprise, Double.POSITIVE_INFINITY);
        }
        if (Double.isNaN(s.alertLevel)) {
            s.alertLevel = -Math.log10(rate);
        }
        double level = s.alertLevel;
        boolean above = !continuing && surprise > 0 && surprise >= level;
        double onset = above && !s.above ? 1 : 0;
        s.above = above;
        s.alertLevel = Math.max(LEVEL_MIN, Math.min(LEVEL_MAX, level * Math.exp(LEVEL_STEP * (onset - rate))));
        return new Verdict(surprise, continuing ? Double.POSITIVE_INFINITY : level);
    }
}
