package io.seqcast.anomaly;

/**
 * What {@link AnomalyLikelihood} keeps per series between observations (stored with the series' state). Mutable on
 * purpose, as the rest of the series' state: advanced in place once per observation.
 */
public final class LikelihoodState {

    /** Exponentially weighted mean square of the forecast residual, in the series' units. */
    public double residualMs;
    /** Residuals seen (capped), for the weights of the first ones. */
    public int residualCount;
    /** Short mean of the raw surprise (exponentially weighted). */
    public double shortMean;
    /** Long exponentially weighted mean of the short mean. */
    public double mean;
    /** Long exponentially weighted variance of the short mean. */
    public double var;
    /** Short means seen (capped). */
    public int count;
    /** The last observation's unfiltered surprise was red (red after red is lowered: HTM's filter). */
    public boolean red;
    /** In an episode: since a red surprise, none below yellow yet (it alarms once, at its onset). */
    public boolean episode;
    /** The last observation was above the alert level (its onsets are what the level is calibrated on). */
    public boolean above;
    /** Surprise (orders of magnitude) a residual alert needs in this series; NaN until calibration starts. */
    public double alertLevel = Double.NaN;
}
