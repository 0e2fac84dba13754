package io.seqcast.anomaly;

/**
 * Fuses the two parts of an observation's anomaly score: what is new to the series ({@link Novelty}) and the
 * likelihood of its forecast residuals ({@link AnomalyLikelihood}). Both are orders of magnitude of unlikeliness; the
 * fused surprise is the larger of novelty's and the likelihood's, the latter capped at {@value #LIKELIHOOD_CAP} orders,
 * published in whole steps of {@value #LIKELIHOOD_STEP} order (rounded down; below the first step graded, so that
 * any surprise stays positive) and weighted by
 * {@value #LIKELIHOOD_WEIGHT}. The likelihood's Gaussian tail is a ranking, not a probability: uncapped, the burst of
 * a noisy series outranks a level never seen; graded, a threshold chosen on some series lands between two of its
 * arbitrary values and does not suit others (on NAB, the optimal threshold moved from 8.64 to 8.80 orders between
 * halves of the files and cost 5 points on the half it was not chosen on). In whole orders it can only land on an
 * order. The step is fixed: an order of magnitude is the coarsest unit of the tail that still ranks. The cap keeps a
 * level never seen (novelty's 12 orders and more) above any residual burst. NAB's threshold is now the pipeline's
 * critical level (6 orders on the machines pipeline), not tuned; at a fixed level at or below the cap neither the cap
 * nor the step changes a detection, so neither is a tuned setting (EVALUATION.md).
 *
 * <p>The observation is alarming when novelty's tail is within the false-alert rate, or when the likelihood reaches
 * its series' calibrated alert level outside the refractory period of an episode already reported
 * ({@link Novelty.Finding#residualDiscount}); the alert threshold it reports is that of the part that alarms.
 */
public final class AnomalyFusion {

    /** Orders of magnitude at which the likelihood's surprise is capped before fusion. */
    static final double LIKELIHOOD_CAP = 8;
    /** Step, in orders of magnitude, of the likelihood's published surprise. */
    static final double LIKELIHOOD_STEP = 1;
    /** Weight of the likelihood's (capped) orders of magnitude against novelty's. */
    static final double LIKELIHOOD_WEIGHT = 1;

    private AnomalyFusion() {}

    /**
     * The anomaly score of an observation.
     *
     * @param sigmas its forecast residual in recent RMS residuals (for the record)
     * @param novelty what novelty found
     * @param likelihood the likelihood's verdict on its residual ({@link AnomalyLikelihood.Verdict#NONE} without a
     *     forecast)
     * @param rate the pipeline's false-alert rate
     */
    public static AnomalyScore fuse(
            double sigmas, Novelty.Finding novelty, AnomalyLikelihood.Verdict likelihood, double rate) {
        // within the refractory period of an episode already reported (by either part) the likelihood is discounted
        double residual = published(likelihood.surprise() / novelty.residualDiscount());
        double noveltyThreshold = -Math.log10(rate);
        boolean noveltyAlarms = novelty.surprise() > 0 && novelty.surprise() >= noveltyThreshold;
        boolean residualAlarms = likelihood.alarming() && novelty.residualDiscount() == 1;
        double surprise = Math.max(novelty.surprise(), residual);
        AnomalyKind kind = null;
        double threshold = noveltyThreshold;
        if (noveltyAlarms && (!residualAlarms || novelty.surprise() >= residual)) {
            kind = novelty.kind();
        } else if (residualAlarms) {
            kind = AnomalyKind.RESIDUAL;
            threshold = published(likelihood.alertLevel()); // the published surprise reaches it: published is monotone
        } else if (surprise > 0) {
            kind = novelty.surprise() >= residual ? novelty.kind() : AnomalyKind.RESIDUAL;
        }
        double tail = surprise <= 0 ? 1 : Math.max(Math.pow(10, -surprise), AnomalyLikelihood.MIN_TAIL);
        return new AnomalyScore(
                Math.abs(sigmas),
                tail,
                surprise,
                kind,
                Math.min(1, threshold / AnomalyScore.SCALE),
                noveltyAlarms || residualAlarms);
    }

    /**
     * The likelihood's orders of magnitude as fused: capped at {@value #LIKELIHOOD_CAP}, rounded down to a whole step
     * of {@value #LIKELIHOOD_STEP} from the first step on (below it unchanged: positive when the surprise is),
     * weighted. Non-decreasing, so a surprise at or above a level publishes at or above the level's published value.
     */
    static double published(double likelihoodSurprise) {
        double capped = Math.min(likelihoodSurprise, LIKELIHOOD_CAP);
        double stepped = capped < LIKELIHOOD_STEP ? capped : Math.floor(capped / LIKELIHOOD_STEP) * LIKELIHOOD_STEP;
        return LIKELIHOOD_WEIGHT * stepped;
    }
}
