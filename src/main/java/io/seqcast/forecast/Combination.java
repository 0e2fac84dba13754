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
 * <p>With a learned layer ({@link LearnedStage}) the model candidate is the learned forecast; with {@code network}
 * the network's own forecast ({@link Step#forecast}) is one more candidate, and the weights are by recent mean
 * absolute error: where the network forecasts a step better than the learned layer (the long steps of a signal whose
 * shape the network has learned), the learned layer does not spoil it.
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
        /** Recent mean squared error per candidate and step (mean absolute error with the network a candidate). */
        float[] mse;
        /** Errors seen per candidate (capped). */
        int[] count;
        /** The model's own pending target forecasts, laid out as the pending forecasts for one feature. */
        float[] modelPending;
        /** The last {@code horizon} target values, most recent first; NaN where none. */
        float[] recent;
        /**
         * The network's own pending target forecasts (as {@link #modelPending}) when it is a candidate beside the
         * learned forecast; empty when it is not.
         */
        float[] networkPending;
    }

    private final int horizon;
    private final int candidates;
    private final SeasonalProfiles profiles;
    private final ScaleStage scale;
    private final long intervalMs;
    private final double[] model;
    private final double[] combined;
    private final int sharpness;
    private final boolean network;
    private final boolean absolute;
    private final int networkIndex;
    private final double[] networkForecast;

    /**
     * Sharpness of the weights when the model candidate is the series' learned forecast ({@link LearnedStage}), which
     * is usually the best candidate: chosen on the first 70% of nyc_taxi, ambient_temperature and AAPL (EVALUATION.md).
     */
    static final int LEARNED_SHARPNESS = 4;

    /**
     * Sharpness of the weights when the network's own forecast is a candidate beside the learned one
     * ({@code forecast.combine-network}): the weights are then (least mean absolute error / mean absolute error) to
     * this power, as sharp as {@link #LEARNED_SHARPNESS} on squared errors. Chosen on the first 70% of the ECG of the
     * signals pipeline (EVALUATION.md): absolute errors, as MASE and the ECG model's loss measure them.
     */
    static final int NETWORK_SHARPNESS = 8;

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
        this(horizon, profiles, scale, intervalMs, sharpness, false, false);
    }

    /**
     * @param network whether the network's own forecast ({@link Step#forecast}) is a candidate beside the forecast in
     *     {@link Step#fresh} (the learned one): where the network forecasts a step better, it is not spoiled by the
     *     learned layer
     * @param absolute weigh by the recent mean absolute error instead of the mean squared error
     */
    Combination(
            int horizon,
            SeasonalProfiles profiles,
            ScaleStage scale,
            long intervalMs,
            int sharpness,
            boolean network,
            boolean absolute) {
        this.sharpness = sharpness;
        this.network = network;
        this.absolute = absolute;
        this.horizon = horizon;
        this.profiles = profiles;
        this.scale = scale;
        this.candidates = 2 + (profiles == null ? 0 : profiles.profiles()) + (network ? 1 : 0);
        this.networkIndex = network ? candidates - 1 : -1;
        this.networkForecast = new double[horizon];
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
        c.networkPending = new float[network ? horizon * horizon : 0];
        Arrays.fill(c.networkPending, Float.NaN);
        return c;
    }

    @Override
    public boolean fits(Candidates c) {
        return c.count.length == candidates
                && c.recent.length == horizon
                && c.networkPending.length == (network ? horizon * horizon : 0);
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
        if (network) {
            int features = step.forecast.length / horizon;
            for (int k = 0; k < horizon; k++) {
                networkForecast[k] = step.modelProduced ? step.forecast[k * features] : Double.NaN;
            }
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
        Arrays.fill(c.networkPending, Float.NaN);
    }

    /**
     * Scores every candidate's forecasts of the target value {@code x} at {@code time} made 1..horizon steps ago, in
     * units of the series' scale {@code std}.
     */
    private void observe(Candidates s, Profiles seasons, double x, long time, double std) {
        for (int c = 0; c < candidates; c++) {
            // a profile's forecast of this time is the same whenever it was made: its bucket one season before
            double profile = c > LAST && c != networkIndex ? profiles.value(seasons, c - 2, time) : Double.NaN;
            boolean scored = false;
            for (int k = 0; k < horizon; k++) {
                double f = c == MODEL
                        ? s.modelPending[k * horizon + k]
                        : c == LAST ? s.recent[k] : c == networkIndex ? s.networkPending[k * horizon + k] : profile;
                if (Double.isNaN(f)) {
                    continue;
                }
                double e = Math.max(-Normalizer.CLIP, Math.min(Normalizer.CLIP, (x - f) / std));
                int i = c * horizon + k;
                double beta = 1.0 / Math.min(s.count[c] + 1, SeriesForecaster.RESIDUAL_MEMORY);
                s.mse[i] = (float) ((1 - beta) * s.mse[i] + beta * (absolute ? Math.abs(e) : e * e));
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
        if (network) {
            System.arraycopy(s.networkPending, 0, s.networkPending, horizon, (horizon - 1) * horizon);
            for (int k = 0; k < horizon; k++) {
                s.networkPending[k] = (float) networkForecast[k];
            }
        }
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
                double value = value(c, k, x, target, seasons);
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

    /** Candidate {@code c}'s forecast of step {@code k + 1} at {@code target}, NaN if it has none. */
    private double value(int c, int k, double x, long target, Profiles seasons) {
        if (c == MODEL) {
            return model[k];
        }
        if (c == LAST) {
            return x;
        }
        return c == networkIndex ? networkForecast[k] : profiles.value(seasons, c - 2, target);
    }

    @Override
    public int tag() {
        return TAG;
    }

    /**
     * Candidates and horizon as varints, then as packed floats each candidate's error per step, the model's pending
     * forecasts (their triangle) and the last values; varints for the error counts; then, only when the network is a
     * candidate of its own, its pending forecasts (their triangle) as packed floats (a section without them, as every
     * one written before they existed, has none).
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
        if (s.networkPending.length > 0) {
            out.floats(Triangle.pack(s.networkPending, 1, h));
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
        s.networkPending = in.hasRemaining() ? Triangle.unpack(in.floats(triangle), 1, h) : new float[0];
        return s;
    }

    @Override
    public Candidates upgrade(LegacyState old) {
        Candidates s = new Candidates();
        s.mse = old.candidateMse;
        s.count = old.candidateCount;
        s.modelPending = old.modelPending;
        s.recent = old.recent;
        s.networkPending = new float[0];
        return s;
    }
}
