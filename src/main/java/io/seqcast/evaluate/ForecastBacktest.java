package io.seqcast.evaluate;

import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import java.util.List;

/**
 * Rolling-origin forecast accuracy of one series: every accepted observation past the warm-up is an origin, its
 * forecasts 1..H steps ahead are compared with the observations that followed, next to two baselines made at the same
 * origins from the same data: naive (the last value, for every step) and seasonal naive (the value one season before
 * the target). MASE divides each method's MAE by the in-sample MAE of the one-season-back forecast over the whole
 * series (Hyndman and Koehler 2006), so the three are on one scale.
 *
 * @param series series name
 * @param season season length in observations (1: none; seasonal naive is then naive)
 * @param origins forecast origins scored
 * @param model errors of the engine's forecasts
 * @param naive errors of the naive forecasts
 * @param seasonalNaive errors of the seasonal-naive forecasts
 * @param coverage share of observations inside the forecast interval, per step
 * @param nominal nominal coverage of the intervals
 */
public record ForecastBacktest(
        String series,
        int season,
        int origins,
        Errors model,
        Errors naive,
        Errors seasonalNaive,
        double[] coverage,
        double nominal) {

    /**
     * Error sums per horizon step.
     *
     * @param n scored forecasts per step
     */
    public record Errors(long[] n, double[] abs, double[] sq, double[] smape, double scale) {

        static Errors of(int horizon, double scale) {
            return new Errors(new long[horizon], new double[horizon], new double[horizon], new double[horizon], scale);
        }

        void add(int k, double actual, double forecast) {
            double e = actual - forecast;
            n[k]++;
            abs[k] += Math.abs(e);
            sq[k] += e * e;
            double denominator = Math.abs(actual) + Math.abs(forecast);
            smape[k] += denominator == 0 ? 0 : 200 * Math.abs(e) / denominator;
        }

        public double mae(int k) {
            return abs[k] / n[k];
        }

        public double rmse(int k) {
            return Math.sqrt(sq[k] / n[k]);
        }

        /** Symmetric MAPE in percent (0..200). */
        public double smape(int k) {
            return smape[k] / n[k];
        }

        public double mase(int k) {
            return mae(k) / scale;
        }

        /** MASE averaged over the steps. */
        public double meanMase() {
            double sum = 0;
            for (int k = 0; k < n.length; k++) {
                sum += mase(k);
            }
            return sum / n.length;
        }

        public int horizon() {
            return n.length;
        }
    }

    /**
     * Scores the forecast events of {@code values} (one per row, null where refused). Rows are taken as evenly spaced.
     *
     * @param skip origins before this row are not scored (besides those warming up)
     */
    public static ForecastBacktest of(String series, double[] values, List<Forecast> forecasts, int horizon, int season,
            int skip) {
        double scaleSum = 0;
        int scaleN = 0;
        for (int i = season; i < values.length; i++) {
            scaleSum += Math.abs(values[i] - values[i - season]);
            scaleN++;
        }
        double scale = Math.max(scaleSum / Math.max(1, scaleN), 1e-12);
        Errors model = Errors.of(horizon, scale);
        Errors naive = Errors.of(horizon, scale);
        Errors seasonal = Errors.of(horizon, scale);
        long[] inside = new long[horizon];
        double nominal = Double.NaN;
        int origins = 0;
        for (int i = Math.max(skip, season); i < values.length - horizon; i++) {
            Forecast f = forecasts.get(i);
            if (f == null || f.warmingUp() || f.steps().size() < horizon) {
                continue;
            }
            nominal = f.coverage();
            origins++;
            for (int k = 0; k < horizon; k++) {
                double actual = values[i + k + 1];
                ForecastStep step = f.steps().get(k);
                model.add(k, actual, step.value());
                naive.add(k, actual, values[i]);
                int back = i + k + 1 - season * ((k + season) / season);
                seasonal.add(k, actual, values[back]);
                if (actual >= step.lower() && actual <= step.upper()) {
                    inside[k]++;
                }
            }
        }
        double[] coverage = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            coverage[k] = model.n()[k] == 0 ? Double.NaN : (double) inside[k] / model.n()[k];
        }
        return new ForecastBacktest(series, season, origins, model, naive, seasonal, coverage, nominal);
    }
}
