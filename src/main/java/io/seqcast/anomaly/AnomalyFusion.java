package io.seqcast.anomaly;

/**
 * Fuses the two parts of an observation's anomaly score: what is new to the series ({@link Novelty}) and the
 * likelihood of its forecast residuals ({@link AnomalyLikelihood}). Both are orders of magnitude of unlikeliness; the
 * fused surprise is the larger of novelty's and the likelihood's, the latter capped at {@value #LIKELIHOOD_CAP} orders
 * (its Gaussian tail is a ranking, not a probability: uncapped, the burst of a noisy series outranks a level never
 * seen, and NAB's threshold chosen on some files lands among the likelihood's graded values and does not suit
 * others; capped, every red onset scores the same and a threshold at the cap transfers) and weighted by
 * {@value #LIKELIHOOD_WEIGHT}. Chosen by cross-validation on NAB (EVALUATION.md).
 *
 * <p>The observation is alarming when novelty's tail is within the false-alert rate, or when the likelihood reaches
 * its series' calibrated alert level; the alert threshold it reports is that of the part that alarms.
 */
public final class AnomalyFusion {

    /** Orders of magnitude at which the likelihood's surprise is capped before fusion. */
    static final double LIKELIHOOD_CAP = 10;
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
    public static AnomalyScore fuse(double sigmas, Novelty.Finding novelty, AnomalyLikelihood.Verdict likelihood,
            double rate) {
        double residual = LIKELIHOOD_WEIGHT * Math.min(likelihood.surprise(), LIKELIHOOD_CAP);
        double noveltyThreshold = -Math.log10(rate);
        boolean noveltyAlarms = novelty.surprise() > 0 && novelty.surprise() >= noveltyThreshold;
        boolean residualAlarms = likelihood.alarming();
        double surprise = Math.max(novelty.surprise(), residual);
        AnomalyKind kind = null;
        double threshold = noveltyThreshold;
        if (noveltyAlarms && (!residualAlarms || novelty.surprise() >= residual)) {
            kind = novelty.kind();
        } else if (residualAlarms) {
            kind = AnomalyKind.RESIDUAL;
            threshold = LIKELIHOOD_WEIGHT * Math.min(likelihood.alertLevel(), LIKELIHOOD_CAP);
        } else if (surprise > 0) {
            kind = novelty.surprise() >= residual ? novelty.kind() : AnomalyKind.RESIDUAL;
        }
        double tail = surprise <= 0 ? 1 : Math.max(Math.pow(10, -surprise), AnomalyLikelihood.MIN_TAIL);
        return new AnomalyScore(Math.abs(sigmas), tail, surprise, kind, Math.min(1, threshold / AnomalyScore.SCALE),
                noveltyAlarms || residualAlarms);
    }
}
