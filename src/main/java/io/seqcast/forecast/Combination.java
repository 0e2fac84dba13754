package io.seqcast.forecast;

import io.seqcast.anomaly.Novelty;
import io.seqcast.state.SeriesState;
import java.util.Arrays;

/**
 * Combined forecasts of a series' target: per step ahead, the model's forecast, the last value and the value of each
 * seasonal profile at the target time, each weighted by the inverse of its recent mean squared error at that step in
 * this series (Bates and Granger 1969). A series the model has learned is forecast by the model; one it has not (a
 * daily cycle the global model never saw, a random walk) by what forecasts it best, learned online from the series'
 * own errors. Candidates join once they have {@value #MIN_ERRORS} errors; before that the model's forecast stands.
 *
 * <p>Everything it keeps is in the series' state: the model's own pending forecasts (the published ones are the
 * combination), the last {@code horizon} values, and one error level per candidate and step.
 */
final class Combination {

    /** Errors of a candidate before it is weighted. */
    static final int MIN_ERRORS = 50;

    private static final int MODEL = 0;
    private static final int LAST = 1;

    private final int horizon;
    private final int candidates;
    private final Novelty profiles;
    private final long intervalMs;
    private final int sharpness;

    Combination(int horizon, Novelty profiles, long intervalMs) {
        this(horizon, profiles, intervalMs, 1);
    }

    /**
     * @param sharpness weights are the inverse of the mean squared errors to this power: 1 is Bates and Granger's;
     *     higher leans harder on the best candidate (used when the model candidate is the series' own learned
     *     forecast, which is usually the best: {@value SeriesForecaster#LEARNED_SHARPNESS}, chosen on the first 70%
     *     of nyc_taxi, ambient_temperature and AAPL, see EVALUATION.md)
     */
    Combination(int horizon, Novelty profiles, long intervalMs, int sharpness) {
        this.sharpness = sharpness;
        this.horizon = horizon;
        this.profiles = profiles;
        this.candidates = 2 + profiles.buckets().length;
        this.intervalMs = intervalMs;
    }

    /** Fresh combination state in {@code s}. */
    void init(SeriesState s) {
        s.candidateMse = new float[candidates * horizon];
        s.candidateCount = new int[candidates];
        s.modelPending = new float[horizon * horizon];
        Arrays.fill(s.modelPending, Float.NaN);
        s.recent = new float[horizon];
        Arrays.fill(s.recent, Float.NaN);
    }

    boolean fits(SeriesState s) {
        return s.candidateCount.length == candidates && s.recent.length == horizon;
    }

    /**
     * Scores every candidate's forecasts of the target value {@code x} at {@code time} made 1..horizon steps ago, in
     * units of the series' scale {@code std}.
     */
    void observe(SeriesState s, double x, long time, double std) {
        for (int c = 0; c < candidates; c++) {
            // a profile's forecast of this time is the same whenever it was made: its bucket one season before
            double profile = c > LAST ? profiles.profileValue(s, c - 2, time) : Double.NaN;
            boolean scored = false;
            for (int k = 0; k < horizon; k++) {
                double f = c == MODEL ? s.modelPending[k * horizon + k] : c == LAST ? s.recent[k] : profile;
                if (Double.isNaN(f)) {
                    continue;
                }
                double e = Math.max(-Normalizer.CLIP, Math.min(Normalizer.CLIP, (x - f) / std));
                int i = c * horizon + k;
                double beta = 1.0 / Math.min(s.candidateCount[c] + 1, SeriesForecaster.RESIDUAL_MEMORY);
                s.candidateMse[i] = (float) ((1 - beta) * s.candidateMse[i] + beta * e * e);
                scored = true;
            }
            if (scored && s.candidateCount[c] < SeriesForecaster.RESIDUAL_MEMORY) {
                s.candidateCount[c]++;
            }
        }
    }

    /**
     * Records the model's forecasts {@code model} (steps 1..horizon after {@code time}, NaN if it made none) and the
     * value {@code x} at {@code time}, and writes the combined forecasts into {@code out}.
     */
    void combine(SeriesState s, long time, double x, double[] model, double[] out) {
        System.arraycopy(s.modelPending, 0, s.modelPending, horizon, (horizon - 1) * horizon);
        System.arraycopy(s.recent, 0, s.recent, 1, horizon - 1);
        s.recent[0] = (float) x;
        for (int k = 0; k < horizon; k++) {
            s.modelPending[k] = (float) model[k];
            if (Double.isNaN(model[k])) {
                out[k] = Double.NaN;
                continue;
            }
            long target = time + (k + 1) * intervalMs;
            double least = Double.POSITIVE_INFINITY;
            for (int c = 0; c < candidates; c++) {
                if (s.candidateCount[c] >= MIN_ERRORS) {
                    least = Math.min(least, Math.max(s.candidateMse[c * horizon + k], 1e-12));
                }
            }
            double sum = 0;
            double weighted = 0;
            for (int c = 0; c < candidates; c++) {
                double value = c == MODEL ? model[k] : c == LAST ? x : profiles.profileValue(s, c - 2, target);
                if (s.candidateCount[c] >= MIN_ERRORS && !Double.isNaN(value)) {
                    double weight = sharpness == 1
                            ? 1 / Math.max(s.candidateMse[c * horizon + k], 1e-12)
                            : Math.pow(least / Math.max(s.candidateMse[c * horizon + k], 1e-12), sharpness);
                    sum += weight;
                    weighted += weight * value;
                }
            }
            out[k] = sum > 0 ? weighted / sum : model[k];
        }
    }
}
