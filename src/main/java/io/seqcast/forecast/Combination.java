package io.seqcast.forecast;

import io.seqcast.state.LegacyState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;
import io.seqcast.state.Triangle;
import java.util.Arrays;

/**
 * Combined forecasts of a series' target: per step ahead, the model's forecast, the last value and the value of each
 * seasonal profile at the target time, each weighted by the inverse of its recent mean squared error at that step in
 * this series (Bates and Granger 1969). A series the model has learned is forecast by the model; one it has not (a
 * daily cycle the global model never saw, a random walk) by what forecasts it best, learned online from the series'
 * own errors. Candidates join once they have {@value #MIN_ERRORS} errors; before that the model's forecast stands.
 *
 * <p>Per observation, scores every candidate's forecasts of it; per model step, replaces the model's target forecasts
 * in {@link Step#fresh} (published and kept pending) by the combination. Keeps, in its {@link Candidates}, the model's
 * own pending forecasts, the last {@code horizon} values, and one error level per candidate and step.
 */
final class Combination implements Stage<Combination.Candidates> {

    static final int TAG = 3;

    /** Errors of a candidate before it is weighted. */
    static final int MIN_ERRORS = 50;

    private static final int MODEL = 0;
    private static final int LAST = 1;

    /** The combination's slice of the series' state. */
    static final class Candidates {
        /** Recent mean squared error per candidate and step. */
        float[] mse;
        /** Errors seen per candidate (capped). */
        int[] count;
        /** The model's own pending target forecasts, laid out as the pending forecasts for one feature. */
        float[] modelPending;
        /** The last {@code horizon} target values, most recent first; NaN where none. */
        float[] recent;
    }

    private final int horizon;
    private final int candidates;
    private final SeasonalProfiles profiles;
    private final ScaleStage scale;
    private final long intervalMs;
    private final double[] model;
    private final double[] combined;
    private final int sharpness;

    /**
     * Sharpness of the weights when the model candidate is the series' learned forecast ({@link LearnedStage}), which
     * is usually the best candidate: chosen on the first 70% of nyc_taxi, ambient_temperature and AAPL (EVALUATION.md).
     */
    static final int LEARNED_SHARPNESS = 4;

    /**
     * @param profiles the seasonal profiles whose values are candidates, or null for none
     */
    Combination(int horizon, SeasonalProfiles profiles, ScaleStage scale, long intervalMs) {
        this(horizon, profiles, scale, intervalMs, 1);
    }

    /**
     * @param sharpness weights are the inverse mean squared errors to this power: 1 is Bates and Granger's; higher
     *     leans harder on the best candidate
     */
    Combination(int horizon, SeasonalProfiles profiles, ScaleStage scale, long intervalMs, int sharpness) {
        this.sharpness = sharpness;
        this.horizon = horizon;
        this.profiles = profiles;
        this.scale = scale;
        this.candidates = 2 + (profiles == null ? 0 : profiles.profiles());
        this.intervalMs = intervalMs;
        this.model = new double[horizon];
        this.combined = new double[horizon];
    }

    @Override
    public Candidates initial() {
        Candidates c = new Candidates();
        c.mse = new float[candidates * horizon];
        c.count = new int[candidates];
        c.modelPending = new float[horizon * horizon];
        Arrays.fill(c.modelPending, Float.NaN);
        c.recent = new float[horizon];
        Arrays.fill(c.recent, Float.NaN);
        return c;
    }

    @Override
    public boolean fits(Candidates c) {
        return c.count.length == candidates && c.recent.length == horizon;
    }

    @Override
    public void observe(Step step, Candidates c) {
        Scale sc = step.state().slice(scale);
        if (sc.count >= ScaleStage.MIN_OBSERVATIONS) {
            observe(c, profiles == null ? null : step.state().slice(profiles), step.x, step.time, sc.std(0));
        }
    }

    @Override
    public void advance(Step step, Candidates c) {
        for (int k = 0; k < horizon; k++) {
            model[k] = step.produced ? step.fresh[k] : Double.NaN;
        }
        combine(
                c,
                profiles == null ? null : step.state().slice(profiles),
                step.stepTime,
                step.stepValues[0],
                model,
                combined);
        if (step.produced) {
            System.arraycopy(combined, 0, step.fresh, 0, horizon);
        }
    }

    @Override
    public void reset(Candidates c) {
        Arrays.fill(c.modelPending, Float.NaN);
        Arrays.fill(c.recent, Float.NaN);
    }

    /**
     * Scores every candidate's forecasts of the target value {@code x} at {@code time} made 1..horizon steps ago, in
     * units of the series' scale {@code std}.
     */
    private void observe(Candidates s, Profiles seasons, double x, long time, double std) {
        for (int c = 0; c < candidates; c++) {
            // a profile's forecast of this time is the same whenever it was made: its bucket one season before
            double profile = c > LAST ? profiles.value(seasons, c - 2, time) : Double.NaN;
            boolean scored = false;
            for (int k = 0; k < horizon; k++) {
                double f = c == MODEL ? s.modelPending[k * horizon + k] : c == LAST ? s.recent[k] : profile;
                if (Double.isNaN(f)) {
                    continue;
                }
                double e = Math.max(-Normalizer.CLIP, Math.min(Normalizer.CLIP, (x - f) / std));
                int i = c * horizon + k;
                double beta = 1.0 / Math.min(s.count[c] + 1, SeriesForecaster.RESIDUAL_MEMORY);
                s.mse[i] = (float) ((1 - beta) * s.mse[i] + beta * e * e);
                scored = true;
            }
            if (scored && s.count[c] < SeriesForecaster.RESIDUAL_MEMORY) {
                s.count[c]++;
            }
        }
    }

    /**
     * Records the model's forecasts {@code model} (steps 1..horizon after {@code time}, NaN if it made none) and the
     * value {@code x} at {@code time}, and writes the combined forecasts into {@code out}.
     */
    private void combine(Candidates s, Profiles seasons, long time, double x, double[] model, double[] out) {
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
                if (s.count[c] >= MIN_ERRORS) {
                    least = Math.min(least, Math.max(s.mse[c * horizon + k], 1e-12));
                }
            }
            double sum = 0;
            double weighted = 0;
            for (int c = 0; c < candidates; c++) {
                double value = c == MODEL ? model[k] : c == LAST ? x : profiles.value(seasons, c - 2, target);
                if (s.count[c] >= MIN_ERRORS && !Double.isNaN(value)) {
                    double weight = sharpness == 1
                            ? 1 / Math.max(s.mse[c * horizon + k], 1e-12)
                            : Math.pow(least / Math.max(s.mse[c * horizon + k], 1e-12), sharpness);
                    sum += weight;
                    weighted += weight * value;
                }
            }
            out[k] = sum > 0 ? weighted / sum : model[k];
        }
    }

    @Override
    public int tag() {
        return TAG;
    }

    /**
     * Candidates and horizon, then as packed floats each candidate's error per step, the model's pending forecasts
     * (their triangle) and the last values; varints for the error counts.
     */
    @Override
    public void write(Candidates s, StateOutput out) {
        int h = s.recent.length;
        out.varint(s.count.length).varint(h);
        float[] triangle = Triangle.pack(s.modelPending, 1, h);
        float[] floats = new float[s.mse.length + triangle.length + h];
        System.arraycopy(s.mse, 0, floats, 0, s.mse.length);
        System.arraycopy(triangle, 0, floats, s.mse.length, triangle.length);
        System.arraycopy(s.recent, 0, floats, s.mse.length + triangle.length, h);
        out.floats(floats);
        for (int c : s.count) {
            out.varint(c);
        }
    }

    @Override
    public Candidates read(StateInput in, int version) {
        int n = in.size();
        int h = in.size();
        int triangle = h * (h + 1) / 2;
        float[] floats = in.floats(n * h + triangle + h);
        Candidates s = new Candidates();
        s.mse = Arrays.copyOfRange(floats, 0, n * h);
        s.modelPending = Triangle.unpack(Arrays.copyOfRange(floats, n * h, n * h + triangle), 1, h);
        s.recent = Arrays.copyOfRange(floats, n * h + triangle, floats.length);
        s.count = new int[n];
        for (int c = 0; c < n; c++) {
            s.count[c] = (int) in.varint();
        }
        return s;
    }

    @Override
    public Candidates upgrade(LegacyState old) {
        Candidates s = new Candidates();
        s.mse = old.candidateMse;
        s.count = old.candidateCount;
        s.modelPending = old.modelPending;
        s.recent = old.recent;
        return s;
    }
}
