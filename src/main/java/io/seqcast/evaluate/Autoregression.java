package io.seqcast.evaluate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * A linear autoregression with an intercept on lags {@code 1..p} and, when a season {@code m > 1} is given, the lags
 * one season back {@code m..m+p} (the lag set of a seasonal AR(p)(1)), fitted by least squares (commons-math's QR
 * decomposition) on the history only. Multi-step forecasts are iterated: each step's forecast stands in for the
 * value not yet seen.
 *
 * <p>The order {@code p} is chosen on the history alone ({@link #fit}): each candidate of {@link #ORDERS} is fitted
 * on the first 80% of the history and scored by its mean MAE over steps 1..H on the last 20%; the best is refitted
 * on the whole history. Large orders matter: on nyc_taxi (season 48) p = 288 reaches the lag one week back.
 *
 * @param order p
 * @param lags the lags used, ascending
 * @param coefficients intercept, then one coefficient per lag
 */
public record Autoregression(int order, int[] lags, double[] coefficients) {

    /** Orders tried (those the history and {@link #BUDGET} allow). */
    public static final int[] ORDERS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 288, 336, 384};

    /**
     * Largest least-squares problem tried, as rows times coefficients squared (the cost of its QR decomposition):
     * about 10 s on one core. It bounds the order on long series (the 90 Hz ECG: p up to 64; nyc_taxi: every order).
     */
    static final double BUDGET = 2e9;

    /** Share of the history that fits the candidates; the rest chooses among them. */
    static final double FIT_SHARE = 0.8;

    /** The lags of order {@code p} with season {@code m}. */
    public static int[] lags(int p, int season) {
        IntStream own = IntStream.rangeClosed(1, p);
        IntStream seasonal = season > 1 ? IntStream.rangeClosed(season, season + p) : IntStream.empty();
        return IntStream.concat(own, seasonal).distinct().sorted().toArray();
    }

    /**
     * Fits on the first {@code trainSize} rows, choosing the order by validation as described above.
     *
     * @param season 1 for no seasonal lags
     * @param horizon steps the choice is judged on
     */
    public static Autoregression fit(double[] values, int trainSize, int season, int horizon) {
        int fitEnd = (int) (FIT_SHARE * trainSize);
        Autoregression best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (int p : ORDERS) {
            int[] lags = lags(p, season);
            int maxLag = lags[lags.length - 1];
            // at least ten rows per coefficient in the part it is fitted on
            int coefficients = lags.length + 1;
            if (fitEnd - maxLag < 10 * coefficients
                    || (double) (trainSize - maxLag) * coefficients * coefficients > BUDGET) {
                continue;
            }
            Autoregression candidate = fit(values, maxLag, fitEnd, p, lags);
            double error = candidate.validationError(values, fitEnd, trainSize, horizon);
            if (error < bestError) {
                bestError = error;
                best = candidate;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("a history of " + trainSize + " rows is too short for an"
                    + " autoregression with season " + season);
        }
        return fit(values, best.lags[best.lags.length - 1], trainSize, best.order, best.lags);
    }

    /** Least squares on the targets {@code [from, to)}. */
    static Autoregression fit(double[] values, int from, int to, int order, int[] lags) {
        double[] y = Arrays.copyOfRange(values, from, to);
        double[][] x = new double[to - from][lags.length];
        for (int t = from; t < to; t++) {
            for (int i = 0; i < lags.length; i++) {
                x[t - from][i] = values[t - lags[i]];
            }
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        return new Autoregression(order, lags, ols.estimateRegressionParameters());
    }

    /** Mean over steps of the MAE of the iterated forecasts for the targets in {@code [from, to)}. */
    private double validationError(double[] values, int from, int to, int horizon) {
        double[] steps = new double[horizon];
        double[] abs = new double[horizon];
        int[] n = new int[horizon];
        for (int origin = from - 1; origin < to - 1; origin++) {
            forecastFrom(values, origin, steps);
            for (int h = 1; h <= horizon && origin + h < to; h++) {
                abs[h - 1] += Math.abs(values[origin + h] - steps[h - 1]);
                n[h - 1]++;
            }
        }
        double sum = 0;
        for (int h = 0; h < horizon; h++) {
            sum += n[h] == 0 ? 0 : abs[h] / n[h];
        }
        return sum / horizon;
    }

    /**
     * Iterated forecasts for steps 1..{@code out.length} from {@code origin}, using the rows up to it; NaN when the
     * origin has too little history.
     */
    void forecastFrom(double[] values, int origin, double[] out) {
        if (origin - lags[lags.length - 1] + 1 < 0) {
            Arrays.fill(out, Double.NaN);
            return;
        }
        for (int h = 1; h <= out.length; h++) {
            double f = coefficients[0];
            for (int i = 0; i < lags.length; i++) {
                int row = origin + h - lags[i];
                f += coefficients[i + 1] * (row <= origin ? values[row] : out[row - origin - 1]);
            }
            out[h - 1] = f;
        }
    }

    /** The forecasts for steps 1..{@code horizon} made at every row of {@code values}. */
    public OriginForecasts forecasts(double[] values, int horizon) {
        OriginForecasts f = OriginForecasts.empty("linear AR", values.length, horizon, false);
        double[] steps = new double[horizon];
        for (int o = 0; o < values.length; o++) {
            forecastFrom(values, o, steps);
            for (int h = 1; h <= horizon; h++) {
                f.set(o, h, steps[h - 1]);
            }
        }
        return f;
    }

    /** Order and lags for reports. */
    public String describe() {
        StringBuilder ranges = new StringBuilder();
        for (int i = 0; i < lags.length; ) {
            int j = i;
            while (j + 1 < lags.length && lags[j + 1] == lags[j] + 1) {
                j++;
            }
            ranges.append(ranges.isEmpty() ? "" : ", ").append(lags[i]).append(j > i ? ".." + lags[j] : "");
            i = j + 1;
        }
        return String.format(
                Locale.ROOT,
                "linear AR, iterated: p=%d (lags %s), chosen on the last %d%% of the" + " history",
                order,
                ranges,
                Math.round(100 * (1 - FIT_SHARE)));
    }
}
