package io.seqcast.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference forecasting protocol: the first {@code trainSize = (int) (trainFraction * n)} rows are history a
 * method may learn from; every later row is a target. At step {@code h} the targets are rows
 * {@code j in [trainSize + h - 1, n)}, each scored with the forecast made at row {@code j - h}, so every method and
 * step is judged on the same rows (Tashman 2000, rolling origin). MASE divides a method's test MAE by one scale for
 * every method and step: the mean absolute one-step change over the history, {@code mean |y(t) - y(t-1)|} for
 * {@code 1 <= t < trainSize} (Hyndman and Koehler 2006).
 *
 * @param rows rows of the series
 * @param trainSize rows of history (the first part)
 * @param horizon steps scored
 * @param scale MASE denominator
 */
public record HoldoutProtocol(int rows, int trainSize, int horizon, double scale) {

    /** Share of each series that is history, as in the reference scorer. */
    public static final double TRAIN_FRACTION = 0.7;

    /**
     * Per-step errors of one method.
     *
     * @param step steps ahead, from 1
     * @param n targets scored
     * @param missing targets whose forecast the method did not make
     * @param coverage share of scored targets inside the method's interval; NaN when it has none
     */
    public record StepScore(int step, int n, int missing, double mae, double rmse, double mase, double coverage) {}

    /** One method's scores at steps 1..H (steps the method did not forecast at all have {@code n = 0}). */
    public record MethodScore(String method, List<StepScore> steps) {

        public StepScore at(int step) {
            return steps.get(step - 1);
        }
    }

    /**
     * The protocol for {@code values}.
     *
     * @throws IllegalArgumentException when the series is too short to have a history and a test part
     */
    public static HoldoutProtocol of(double[] values, double trainFraction, int horizon) {
        int n = values.length;
        int trainSize = (int) (trainFraction * n);
        if (trainSize < 3 || trainSize + horizon > n) {
            throw new IllegalArgumentException("a series of " + n + " rows is too short for "
                    + (int) (100 * trainFraction) + "% history and a horizon of " + horizon + "; give a longer series");
        }
        double sum = 0;
        for (int t = 1; t < trainSize; t++) {
            sum += Math.abs(values[t] - values[t - 1]);
        }
        double scale = sum / (trainSize - 1);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("the history (first " + trainSize + " rows) never changes, so MASE"
                    + " has no scale; evaluate a series that varies");
        }
        return new HoldoutProtocol(n, trainSize, horizon, scale);
    }

    /** First target row scored at {@code step}. */
    public int firstTarget(int step) {
        return trainSize + step - 1;
    }

    /** Scores {@code f} on the targets of every step 1..H (steps beyond {@code f}'s horizon score nothing). */
    public MethodScore score(double[] values, OriginForecasts f) {
        List<StepScore> steps = new ArrayList<>(horizon);
        for (int h = 1; h <= horizon; h++) {
            int n = 0;
            int missing = 0;
            int inside = 0;
            double abs = 0;
            double sq = 0;
            for (int j = firstTarget(h); j < rows; j++) {
                double forecast = h <= f.horizon() ? f.point(j - h, h) : Double.NaN;
                if (Double.isNaN(forecast)) {
                    missing++;
                    continue;
                }
                double e = values[j] - forecast;
                n++;
                abs += Math.abs(e);
                sq += e * e;
                if (f.hasIntervals() && f.covers(j - h, h, values[j])) {
                    inside++;
                }
            }
            double mae = n == 0 ? Double.NaN : abs / n;
            steps.add(new StepScore(
                    h,
                    n,
                    missing,
                    mae,
                    n == 0 ? Double.NaN : Math.sqrt(sq / n),
                    mae / scale,
                    f.hasIntervals() && n > 0 ? (double) inside / n : Double.NaN));
        }
        return new MethodScore(f.method(), List.copyOf(steps));
    }
}
