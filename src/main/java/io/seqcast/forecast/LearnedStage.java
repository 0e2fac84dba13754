package io.seqcast.forecast;

import io.seqcast.config.PipelineConfig.Learning;
import io.seqcast.learn.HeadState;
import io.seqcast.learn.Inputs;
import io.seqcast.learn.OnlineHead;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;
import java.util.Arrays;

/**
 * A series' own forecasts, learned in the stream ({@code learn.enabled}): per step ahead {@code k}, the change from the
 * last value to the value {@code k} steps ahead, in units of the series' recent mean absolute change (scale-free),
 * forecast by an {@link OnlineHead} from inputs made at the origin:
 * <ul>
 *   <li>shared by all steps: a constant, the normalised level, the last {@code learn.lags} changes (differences or
 *       returns, {@code learn.change}), calendar terms of the origin's event time ({@code learn.calendar}); with
 *       {@code learn.deviation-memory} and a profile, the recent mean departure of the series from its first profile
 *       (a day that runs below its usual shape);
 *   <li>per step: per seasonal profile, its value at the target time minus the last value, and minus its own value
 *       at the origin time (the season's expected change); with {@code learn.seasonal-lag} {@code L}, the change the
 *       series made over the same steps {@code L} observations earlier, {@code y(t+h-L) - y(t-L)}; the recurrent
 *       model's forecast minus the last value (none beyond the model's horizon).
 * </ul>
 * The weights start at zero: a new series is forecast by its last value (naive) until its own errors teach the head
 * better. Each observation is the target of the forecasts made 1..H steps before it; each updates its step's weights
 * (direct forecasts, one learner per step). Runs right after the model: its forecasts replace the model's target
 * forecasts in {@link Step#fresh} (what the combination weighs, or what is published without one).
 *
 * <p>Its slice is the {@link HeadState}: {@code (d^2 + d) / 2 + H d + H b + H (H+1)/2 (d - b) + 4H + m + 1} floats
 * for {@code d} inputs of which {@code b} are shared by all steps, {@code m = max(lags, L)} (the recent values kept;
 * the last float: the departure from the profile).
 */
final class LearnedStage implements Stage<HeadState> {

    static final int TAG = 10;
    /** Changes seen before the head forecasts anything but the last value. */
    static final int MIN_CHANGES = 10;
    /** Forecast changes are capped at this many change units. */
    static final double MAX_CHANGE = 3 * Inputs.CLIP;

    private final Learning settings;
    private final SeasonalProfiles profiles;
    private final ScaleStage scale;
    private final int horizon;
    private final int modelHorizon;
    private final long intervalMs;
    private final int lags;
    private final int seasonalLag;
    /** Recent values kept besides the last: {@code max(lags, seasonalLag)}. */
    private final int memory;

    private final int deviationMemory;
    private final int baseDims;
    private final int stepDims;
    private final OnlineHead head;
    private final double[] x;
    private final double[] model;

    /**
     * @param profiles the seasonal profiles whose values are inputs, or null for none
     * @param modelHorizon steps the model forecasts (the pipeline's horizon may go beyond)
     */
    LearnedStage(
            Learning settings,
            SeasonalProfiles profiles,
            ScaleStage scale,
            int horizon,
            int modelHorizon,
            long intervalMs) {
        this.settings = settings;
        this.profiles = profiles;
        this.scale = scale;
        this.horizon = horizon;
        this.modelHorizon = modelHorizon;
        this.intervalMs = intervalMs;
        this.lags = settings.lags();
        this.deviationMemory = profiles == null || profiles.profiles() == 0 ? 0 : settings.deviationMemory();
        this.baseDims = 2 + lags + settings.calendar().terms() + (deviationMemory > 0 ? 1 : 0);
        this.seasonalLag = settings.seasonalLag();
        if (seasonalLag > 0 && seasonalLag < horizon) {
            throw new IllegalArgumentException(
                    "learn.seasonal-lag " + seasonalLag + " is less than the horizon " + horizon);
        }
        this.memory = Math.max(lags, seasonalLag);
        this.stepDims = 2 * (profiles == null ? 0 : profiles.profiles()) + (seasonalLag > 0 ? 1 : 0) + 1;
        this.head = new OnlineHead(baseDims + stepDims, settings.forgetting(), settings.prior());
        this.x = new double[baseDims + stepDims];
        this.model = new double[horizon];
    }

    @Override
    public HeadState initial() {
        return head.initial(baseDims, stepDims, horizon, memory);
    }

    @Override
    public boolean fits(HeadState h) {
        return h.dims() == head.dims()
                && h.horizon() == horizon
                && h.lags() == memory
                && h.base.length == horizon * baseDims;
    }

    /** Learns from the observed target: every pending forecast of it updates its step's weights. */
    @Override
    public void observe(Step step, HeadState h) {
        double value = step.x;
        for (int a = horizon - 1; a >= 0; a--) {
            float unit = h.unit[a];
            if (Float.isNaN(unit)) {
                continue;
            }
            inputs(h, a, a);
            head.learn(h, a, x, Inputs.scaled(value - h.origin[a], unit), a == 0);
        }
        float previous = h.values[0];
        if (!Float.isNaN(previous)) {
            double change = Math.abs(Inputs.change(settings.change(), value, previous));
            h.changeScale = (float) Inputs.updateScale(h.changeScale, h.changeCount, change);
            h.changeCount = Math.min(h.changeCount + 1, Inputs.SCALE_MEMORY);
        }
    }

    /** Forecasts steps 1..H from this step, into {@link Step#fresh}; remembers the inputs, to learn from later. */
    @Override
    public void advance(Step step, HeadState h) {
        for (int k = 0; k < horizon; k++) {
            model[k] = step.produced && k < modelHorizon ? step.fresh[k] : Double.NaN;
        }
        forecast(step, h, step.stepTime, step.stepValues[0], step.fresh);
        step.produced = true;
    }

    private void forecast(Step step, HeadState h, long time, double value, double[] out) {
        System.arraycopy(h.values, 0, h.values, 1, memory);
        h.values[0] = (float) value;
        System.arraycopy(h.base, 0, h.base, baseDims, (horizon - 1) * baseDims);
        for (int a = horizon - 1; a >= 1; a--) {
            int length = (horizon - a) * stepDims;
            System.arraycopy(h.steps, h.stepOffset(a - 1, a, stepDims), h.steps, h.stepOffset(a, a, stepDims), length);
        }
        System.arraycopy(h.origin, 0, h.origin, 1, horizon - 1);
        System.arraycopy(h.unit, 0, h.unit, 1, horizon - 1);
        Profiles seasons = profiles == null ? null : step.state().slice(profiles);
        if (deviationMemory > 0) {
            double usual = profiles.value(seasons, 0, time);
            if (!Double.isNaN(usual)) {
                h.deviation = (float) (h.deviation + (value - usual - h.deviation) / deviationMemory);
            }
        }
        boolean ready = h.changeCount >= MIN_CHANGES && !Float.isNaN(h.values[lags]);
        if (!ready) {
            h.unit[0] = Float.NaN;
            Arrays.fill(out, 0, horizon, value);
            return;
        }
        double unit = Inputs.unit(settings.change(), h.changeScale, value);
        Scale sc = step.state().slice(scale);
        int i = 0;
        x[i++] = 1;
        x[i++] = Normalizer.normalize(sc.mean, sc.var, 0, value);
        for (int j = 0; j < lags; j++) {
            x[i++] = Inputs.scaled(Inputs.change(settings.change(), h.values[j], h.values[j + 1]), h.changeScale);
        }
        i = Inputs.calendar(settings.calendar(), time, x, i);
        if (deviationMemory > 0) {
            x[i++] = Inputs.scaled(h.deviation, unit);
        }
        for (int j = 0; j < baseDims; j++) {
            h.base[j] = (float) x[j];
        }
        int n = profiles == null ? 0 : profiles.profiles();
        for (int k = 0; k < horizon; k++) {
            int j = baseDims;
            long target = time + (k + 1) * intervalMs;
            for (int p = 0; p < n; p++) {
                double ahead = profiles.value(seasons, p, target);
                x[j++] = Inputs.scaled(ahead - value, unit);
                x[j++] = Inputs.scaled(ahead - profiles.value(seasons, p, time), unit);
            }
            if (seasonalLag > 0) {
                // values[i] is y(t - i): y(t+k+1-L) - y(t-L); NaN (an input of 0) until L values were seen
                x[j++] = Inputs.scaled(h.values[seasonalLag - k - 1] - h.values[seasonalLag], unit);
            }
            x[j] = Inputs.scaled(model[k] - value, unit);
            int off = h.stepOffset(0, k, stepDims);
            for (int d = 0; d < stepDims; d++) {
                h.steps[off + d] = (float) x[baseDims + d];
            }
            double change = head.predict(h, k, x);
            out[k] = value + unit * Math.max(-MAX_CHANGE, Math.min(MAX_CHANGE, change));
        }
        h.origin[0] = (float) value;
        h.unit[0] = (float) unit;
    }

    /** The inputs of step {@code k} made at origin row {@code a}, into {@link #x}. */
    private void inputs(HeadState h, int a, int k) {
        for (int j = 0; j < baseDims; j++) {
            x[j] = h.base[a * baseDims + j];
        }
        int off = h.stepOffset(a, k, stepDims);
        for (int d = 0; d < stepDims; d++) {
            x[baseDims + d] = h.steps[off + d];
        }
    }

    @Override
    public void reset(HeadState h) {
        h.forget();
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public int version() {
        return 2;
    }

    /**
     * Inputs, shared inputs, horizon and the recent values kept besides the last (the change lags, or the seasonal lag
     * when longer) as varints; then as packed floats the covariance triangle, the weights,
     * the pending inputs (shared, then per step), each origin's value, unit and error scale, the recent values and the
     * change scale, and (version 2) the deviation; then the change and update counts as varints. Version 1 had no
     * deviation (read as 0).
     */
    @Override
    public void write(HeadState h, StateOutput out) {
        out.varint(h.dims())
                .varint(h.base.length / h.horizon())
                .varint(h.horizon())
                .varint(h.lags());
        float[] floats = new float[floats(h) + 1];
        int at = 0;
        for (float[] part : parts(h)) {
            System.arraycopy(part, 0, floats, at, part.length);
            at += part.length;
        }
        floats[at] = h.changeScale;
        floats[at + 1] = h.deviation;
        out.floats(floats);
        out.varint(h.changeCount).varint(h.updates);
    }

    @Override
    public HeadState read(StateInput in, int version) {
        if (version != 1 && version != 2) {
            throw StateInput.unknownVersion(this, version);
        }
        int dims = in.size();
        int shared = in.size();
        int h = in.size();
        int lagCount = in.size();
        if (dims == 0 || shared > dims || h == 0) {
            throw new org.apache.kafka.common.errors.SerializationException("series state's learned layer has " + shared
                    + " shared inputs of " + dims + " and horizon " + h + ": corrupt");
        }
        in.size((long) dims * (dims + 1) / 2 + (long) h * (h + 1) / 2 * (dims - shared));
        HeadState s = HeadState.initial(dims, shared, dims - shared, h, lagCount, 1);
        float[] floats = in.floats(floats(s) + (version == 2 ? 1 : 0));
        int at = 0;
        for (float[] part : parts(s)) {
            System.arraycopy(floats, at, part, 0, part.length);
            at += part.length;
        }
        s.changeScale = floats[at];
        s.deviation = version == 2 ? floats[at + 1] : 0;
        s.changeCount = (int) in.varint();
        s.updates = (int) in.varint();
        return s;
    }

    private static float[][] parts(HeadState h) {
        return new float[][] {h.covariance, h.weights, h.base, h.steps, h.origin, h.unit, h.errorScale, h.values};
    }

    private static int floats(HeadState h) {
        int n = 1;
        for (float[] part : parts(h)) {
            n += part.length;
        }
        return n;
    }
}
