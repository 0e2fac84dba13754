package io.seqcast.forecast;

/** The forecast stage's slice: the forecasts made and not yet all past, and how wrong such forecasts have been. */
public final class Pending {
    /**
     * Pending forecasts, most recent first: row {@code a} (of {@code horizon} rows) is the forecast made {@code a+1}
     * steps ago, {@code horizon * features} values, step-major; NaN where none was made. Of row {@code a} only steps
     * {@code a} on are read (and stored): the earlier ones are for times already past.
     */
    public float[] forecasts;
    /** Exponentially weighted mean squared normalised residual, per step ahead and feature. */
    public float[] residualMs;
    /** Residuals seen per step ahead (capped), to weight the first ones. */
    public int[] residualCount;
    /** Interval calibration: multiplier of the normal-theory half-width, per step ahead (adapted online). */
    public float[] intervalScale;

    public int horizon() {
        return residualCount.length;
    }
}
