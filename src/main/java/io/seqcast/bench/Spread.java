package io.seqcast.bench;

import java.util.Arrays;

/**
 * Median and range of repeated measurements of one figure.
 *
 * @param median median of the runs
 * @param min smallest run
 * @param max largest run
 * @param runs how many runs
 */
public record Spread(double median, double min, double max, int runs) {

    public static Spread of(double... values) {
        if (values.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(median, v[0], v[n - 1], n);
    }

    /** Like {@code 312.4k [298.1k..320.0k] n=5}. */
    public String format(String unit) {
        return human(median) + unit + " [" + human(min) + ".." + human(max) + "] n=" + runs;
    }

    static String human(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(java.util.Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(java.util.Locale.ROOT, "%.1fk", v / 1e3);
        }
        if (a >= 100) {
            return String.format(java.util.Locale.ROOT, "%.0f", v);
        }
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
