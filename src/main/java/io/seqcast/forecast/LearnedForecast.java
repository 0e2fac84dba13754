package io.seqcast.forecast;

import io.seqcast.anomaly.Novelty;
import io.seqcast.config.PipelineConfig.Learning;
import io.seqcast.learn.HeadState;
import io.seqcast.learn.Inputs;
import io.seqcast.learn.OnlineHead;
import io.seqcast.state.SeriesState;

/**
 * A series' own forecasts, learned in the stream: per step ahead {@code k}, the change from the last value to the
 * value {@code k} steps ahead, in units of the series' recent mean absolute change (scale-free), forecast by an
 * {@link OnlineHead} from inputs made at the origin:
 * <ul>
 *   <li>shared by all steps: a constant, the normalised level, the last {@code learn.lags} changes (differences or
 *       returns, {@code learn.change}), calendar terms of the origin's event time ({@code learn.calendar});
 *   <li>per step: per seasonal profile, its value at the target time minus the last value, and minus its own value
 *       at the origin time (the season's expected change); the recurrent model's forecast minus the last value.
 * </ul>
 * The weights start at zero: a new series is forecast by its last value (naive) until its own errors teach the head
 * better. Each observation is the target of the forecasts made 1..H steps before it; each of them updates its step's
 * weights (direct forecasts, one learner per step).
 */
final class LearnedForecast {

    /** Changes seen before the head forecasts anything but the last value. */
    static final int MIN_CHANGES = 10;
    /** Forecast changes are capped at this many change units. */
    static final double MAX_CHANGE = 3 * Inputs.CLIP;

    private final Learning settings;
    private final Novelty profiles;
    private final int horizon;
    private final long intervalMs;
    private final int lags;
    private final int baseDims;
    private final int stepDims;
    private final OnlineHead head;
    private final double[] x;

    LearnedForecast(Learning settings, Novelty profiles, int horizon, long intervalMs) {
        this.settings = settings;
        this.profiles = profiles;
        this.horizon = horizon;
        this.intervalMs = intervalMs;
        this.lags = settings.lags();
        this.baseDims = 2 + lags + settings.calendar().terms();
        this.stepDims = 2 * profiles.buckets().length + 1;
        this.head = new OnlineHead(baseDims + stepDims, settings.forgetting(), settings.prior());
        this.x = new double[baseDims + stepDims];
    }

    /** Fresh learned state in {@code s}: the head forecasts the last value. */
    void init(SeriesState s) {
        s.head = head.initial(baseDims, stepDims, horizon, lags);
    }

    /** Whether the learned state in {@code s} was made with these inputs. */
    boolean fits(SeriesState s) {
        HeadState h = s.head;
        return h != null && h.dims() == head.dims() && h.horizon() == horizon && h.lags() == lags
                && h.base.length == horizon * baseDims;
    }

    /** Learns from the observed target {@code value}: every pending forecast of it updates its step's weights. */
    void observe(SeriesState s, double value) {
        HeadState h = s.head;
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

    /**
     * Forecasts steps 1..H after {@code time}, whose value is {@code value}, into {@code out}; {@code model} holds the
     * recurrent model's forecasts (NaN where it made none). Remembers the inputs, to learn when the targets come.
     */
    void forecast(SeriesState s, long time, double value, double[] model, double[] out) {
        HeadState h = s.head;
        System.arraycopy(h.values, 0, h.values, 1, lags);
        h.values[0] = (float) value;
        System.arraycopy(h.base, 0, h.base, baseDims, (horizon - 1) * baseDims);
        for (int a = horizon - 1; a >= 1; a--) {
            int length = (horizon - a) * stepDims;
            System.arraycopy(h.steps, h.stepOffset(a - 1, a, stepDims), h.steps, h.stepOffset(a, a, stepDims), length);
        }
        System.arraycopy(h.origin, 0, h.origin, 1, horizon - 1);
        System.arraycopy(h.unit, 0, h.unit, 1, horizon - 1);
        boolean ready = h.changeCount >= MIN_CHANGES && !Float.isNaN(h.values[lags]);
        if (!ready) {
            h.unit[0] = Float.NaN;
            java.util.Arrays.fill(out, value);
            return;
        }
        double unit = Inputs.unit(settings.change(), h.changeScale, value);
        int i = 0;
        x[i++] = 1;
        x[i++] = Normalizer.normalize(s.mean, s.var, 0, value);
        for (int j = 0; j < lags; j++) {
            x[i++] = Inputs.scaled(Inputs.change(settings.change(), h.values[j], h.values[j + 1]), h.changeScale);
        }
        Inputs.calendar(settings.calendar(), time, x, i);
        for (int j = 0; j < baseDims; j++) {
            h.base[j] = (float) x[j];
        }
        int buckets = profiles.buckets().length;
        for (int k = 0; k < horizon; k++) {
            int j = baseDims;
            long target = time + (k + 1) * intervalMs;
            for (int p = 0; p < buckets; p++) {
                double ahead = profiles.profileValue(s, p, target);
                x[j++] = Inputs.scaled(ahead - value, unit);
                x[j++] = Inputs.scaled(ahead - profiles.profileValue(s, p, time), unit);
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
}
