package io.seqcast.evaluate;

/** The two forecasts any method must beat, made at every origin from the rows up to it. */
public final class Baselines {

    private Baselines() {}

    /** Naive: every step forecasts the value at the origin. */
    public static OriginForecasts naive(double[] values, int horizon) {
        OriginForecasts f = OriginForecasts.empty("naive", values.length, horizon, false);
        for (int o = 0; o < values.length; o++) {
            for (int h = 1; h <= horizon; h++) {
                f.set(o, h, values[o]);
            }
        }
        return f;
    }

    /**
     * Seasonal naive: the value of the same phase in the last season seen, row {@code o + h - m * ceil(h / m)} for
     * the forecast made at {@code o} for {@code o + h}. With {@code m = 1} it is naive.
     */
    public static OriginForecasts seasonalNaive(double[] values, int horizon, int season) {
        OriginForecasts f = OriginForecasts.empty("seasonal naive", values.length, horizon, false);
        for (int o = 0; o < values.length; o++) {
            for (int h = 1; h <= horizon; h++) {
                int source = o + h - season * ((h + season - 1) / season);
                if (source >= 0) {
                    f.set(o, h, values[source]);
                }
            }
        }
        return f;
    }
}
