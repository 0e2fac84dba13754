package io.seqcast.forecast;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.ForecastStep;
import io.seqcast.state.LegacyState;
import io.seqcast.state.SeriesState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;
import io.seqcast.state.Triangle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.special.Erf;

/**
 * Forecasts and their intervals. Per observation: finds the most recent forecast made for its time, the expected
 * value with its interval and the residual in units of the recent RMS residual ({@link Step#expected},
 * {@link Step#sigmas}); then adds the residuals of every forecast made for it to the error
 * statistics per step ahead, and calibrates the intervals (adaptive conformal inference). Per model step: records the
 * published forecasts as the newest pending row. Publishes the forecasts from now on with their intervals
 * ({@link #steps}).
 */
final class ForecastStage implements Stage<Pending> {

    static final int TAG = 4;

    /** Memory, in observations, of the exponentially weighted residual statistics. */
    static final int RESIDUAL_MEMORY = SeriesForecaster.RESIDUAL_MEMORY;

    private final ScaleStage scale;
    private final int features;
    private final int horizon;
    private final long intervalMs;
    private final double coverage;
    /** Step size of the online calibration of interval widths (log scale, per observation). */
    private final double calibrationRate;

    private final double zq;

    ForecastStage(PipelineConfig pipeline, ScaleStage scale) {
        this.scale = scale;
        this.features = pipeline.input().fields().features();
        this.horizon = pipeline.forecast().horizon();
        this.intervalMs = pipeline.sampling().interval().toMillis();
        this.coverage = pipeline.forecast().coverage();
        this.calibrationRate = pipeline.forecast().calibrationRate();
        this.zq = Math.sqrt(2) * Erf.erfInv(coverage);
    }

    @Override
    public Pending initial() {
        Pending p = new Pending();
        p.forecasts = new float[horizon * horizon * features];
        Arrays.fill(p.forecasts, Float.NaN);
        p.residualMs = new float[horizon * features];
        p.residualCount = new int[horizon];
        p.intervalScale = new float[horizon];
        Arrays.fill(p.intervalScale, 1f);
        return p;
    }

    @Override
    public boolean fits(Pending p) {
        return p.horizon() == horizon && p.residualMs.length == horizon * features;
    }

    @Override
    public boolean restartsSeries() {
        return true;
    }

    @Override
    public void observe(Step step, Pending p) {
        Scale sc = step.state().slice(scale);
        // score against the most recent forecast for this time, with statistics from before this observation
        int age = freshestRow(p);
        if (age >= 0) {
            double forecast = p.forecasts[(age * horizon + age) * features];
            double std = sc.std(0);
            double rms = rms(p, age, 0);
            double half = halfWidth(p, age, std);
            step.expected = new ForecastStep(age + 1, step.time, forecast, forecast - half, forecast + half);
            step.sigmas = (step.x - forecast) / (std * rms);
        }
        updateResiduals(p, sc, step.values);
    }

    @Override
    public void advance(Step step, Pending p) {
        int row = horizon * features;
        System.arraycopy(p.forecasts, 0, p.forecasts, row, (horizon - 1) * row);
        if (step.produced) {
            for (int k = 0; k < horizon; k++) {
                for (int f = 0; f < features; f++) {
                    p.forecasts[k * features + f] = (float) (f == 0 ? step.fresh[k] : step.forecast[k * features + f]);
                }
            }
        } else {
            Arrays.fill(p.forecasts, 0, row, Float.NaN);
        }
    }

    @Override
    public void reset(Pending p) {
        Arrays.fill(p.forecasts, Float.NaN);
    }

    /**
     * The freshest pending forecast of every feature for the next step, into {@code values}: what an imputed step
     * takes. False when there is none.
     */
    boolean freshest(SeriesState s, double[] values) {
        Pending p = s.slice(this);
        int age = freshestRow(p);
        if (age < 0) {
            return false;
        }
        for (int f = 0; f < features; f++) {
            values[f] = p.forecasts[(age * horizon + age) * features + f];
        }
        return true;
    }

    /** Row index (age - 1) of the most recent pending forecast that covers the current time, or -1. */
    private int freshestRow(Pending p) {
        for (int a = 0; a < horizon; a++) {
            if (!Float.isNaN(p.forecasts[(a * horizon + a) * features])) {
                return a;
            }
        }
        return -1;
    }

    private void updateResiduals(Pending p, Scale sc, double[] values) {
        if (sc.count < ScaleStage.MIN_OBSERVATIONS) {
            return; // the series' scale is not known yet: residuals in its units would be meaningless
        }
        for (int k = 0; k < horizon; k++) {
            int base = (k * horizon + k) * features;
            if (Float.isNaN(p.forecasts[base])) {
                continue;
            }
            double beta = 1.0 / Math.min(p.residualCount[k] + 1, RESIDUAL_MEMORY);
            for (int f = 0; f < features; f++) {
                double e = (values[f] - p.forecasts[base + f]) / sc.std(f);
                e = Math.max(-Normalizer.CLIP, Math.min(Normalizer.CLIP, e));
                int i = k * features + f;
                if (f == 0 && p.residualCount[k] > 0) {
                    // adaptive conformal calibration: widen after a miss, narrow after a hit, so that the long-run
                    // miss rate tends to 1 - coverage whatever the shape of the residuals' distribution
                    double miss = Math.abs(e) > zq * p.intervalScale[k] * rms(p, k, 0) ? 1 : 0;
                    double scale = p.intervalScale[k] * Math.exp(calibrationRate * (miss - (1 - coverage)));
                    p.intervalScale[k] = (float) Math.max(0.05, Math.min(20, scale));
                }
                p.residualMs[i] = (float) ((1 - beta) * p.residualMs[i] + beta * e * e);
            }
            if (p.residualCount[k] < RESIDUAL_MEMORY) {
                p.residualCount[k]++;
            }
        }
    }

    /** Half-width of the interval of forecasts {@code k + 1} steps ahead, for a series of scale {@code std}. */
    private double halfWidth(Pending p, int k, double std) {
        return zq * p.intervalScale[k] * rms(p, k, 0) * std;
    }

    /** RMS normalised residual of forecasts {@code k + 1} steps ahead; the series' own scale (1) before any. */
    private double rms(Pending p, int k, int feature) {
        if (p.residualCount[k] == 0) {
            return 1.0;
        }
        return Math.max(Math.sqrt(p.residualMs[k * features + feature]), 1e-6);
    }

    /**
     * Forecasts from {@code now} on, from the freshest pending forecast (re-indexed to steps from now); those made at
     * this step in full precision when {@code freshValid}.
     */
    List<ForecastStep> steps(Step step, long now) {
        Pending p = step.state().slice(this);
        int row = freshestRow(p);
        if (row < 0) {
            return List.of();
        }
        double std = step.state().slice(scale).std(0);
        List<ForecastStep> steps = new ArrayList<>(horizon - row);
        for (int k = row; k < horizon; k++) {
            int ahead = k - row + 1;
            double value = row == 0 && step.produced ? step.fresh[k] : p.forecasts[(row * horizon + k) * features];
            double half = halfWidth(p, k, std);
            steps.add(new ForecastStep(ahead, now + ahead * intervalMs, value, value - half, value + half));
        }
        return steps;
    }

    @Override
    public int tag() {
        return TAG;
    }

    /**
     * Features and horizon; of the pending forecasts only the triangle a later observation reads (row {@code a} from
     * step {@code a} on); residual statistics, their counts as zig-zag deltas, interval scales.
     */
    @Override
    public void write(Pending p, StateOutput out) {
        int h = p.horizon();
        int fs = p.residualMs.length / Math.max(1, h);
        out.varint(fs).varint(h);
        out.floats(Triangle.pack(p.forecasts, fs, h));
        out.floats(p.residualMs);
        int previous = 0;
        for (int c : p.residualCount) {
            out.signed(c - previous);
            previous = c;
        }
        out.floats(p.intervalScale);
    }

    @Override
    public Pending read(StateInput in, int version) {
        int fs = in.size();
        int h = in.size();
        in.size((long) h * h * fs);
        Pending p = new Pending();
        p.forecasts = Triangle.unpack(in.floats(Triangle.size(fs, h)), fs, h);
        p.residualMs = in.floats(h * fs);
        p.residualCount = new int[h];
        int previous = 0;
        for (int k = 0; k < h; k++) {
            p.residualCount[k] = previous + (int) in.signed();
            previous = p.residualCount[k];
        }
        p.intervalScale = in.floats(h);
        return p;
    }

    @Override
    public Pending upgrade(LegacyState old) {
        Pending p = new Pending();
        p.forecasts = old.pending;
        p.residualMs = old.residualMs;
        p.residualCount = old.residualCount;
        p.intervalScale = old.intervalScale;
        return p;
    }
}
