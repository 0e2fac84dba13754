package io.seqcast.forecast;

import io.seqcast.anomaly.AlertTracker;
import io.seqcast.anomaly.AnomalyFusion;
import io.seqcast.anomaly.AnomalyLikelihood;
import io.seqcast.anomaly.AnomalyScore;
import io.seqcast.anomaly.Novelty;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.GapPolicy;
import io.seqcast.config.PipelineConfig.Mode;
import io.seqcast.errors.Reason;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import io.seqcast.event.Observation;
import io.seqcast.event.ObservationParser;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.special.Erf;

/**
 * Advances one series by one observation: checks its time against the series' last one (late, duplicate, gap),
 * scores it against the forecast made for it, steps the model (stateful) or runs it over the window (windowed), and
 * forecasts the next {@code horizon} steps with intervals. Pure: all it keeps between observations is in the
 * {@link SeriesState} it is given, which it advances in place; a refused observation leaves the state untouched.
 *
 * <p>Conventions: the first feature of an observation is the target that forecasts, scores and alerts refer to. The
 * model's output at a step is {@code modelHorizon * features} normalised values, step-major.
 *
 * <p>Not thread-safe (scratch buffers); one instance per stream task.
 */
public final class SeriesForecaster {

    /** Memory, in observations, of the exponentially weighted residual statistics. */
    public static final int RESIDUAL_MEMORY = 500;
    /** Step size of the online calibration of interval widths (log scale, per observation). */
    static final double CALIBRATION_RATE = 0.02;
    /** Observations before residuals count: the series' scale must be known to express them in it. */
    public static final int MIN_SCALE_OBSERVATIONS = 10;

    private final String pipeline;
    private final SequenceModel model;
    private final ModelRef modelRef;
    private final Mode mode;
    private final int features;
    private final int horizon;
    private final int windowLength;
    private final int stride;
    private final long intervalMs;
    private final double gapMs;
    private final GapPolicy gapPolicy;
    private final int maxImpute;
    private final int warmup;
    private final double coverage;
    private final double zq;
    private final double falseAlertRate;
    private final AlertTracker alerts;
    private final Novelty novelty;
    /** Combined forecasts, or null when the model's are published alone. */
    private final Combination combination;
    private final double[] modelSteps;
    private final double[] combined;
    private final int architecture;
    private final float[] input;
    private final float[] output;
    private final float[] scratchState;
    /** Step forecasts of the target made at the current observation, in full precision (pending keeps floats). */
    private final double[] fresh;
    private boolean freshValid;

    /** What one observation did. */
    public sealed interface Outcome permits Accepted, Refused {}

    /**
     * The observation was taken: its forecast event, the alert event it caused (or null), and what a gap before it
     * did.
     */
    public record Accepted(Forecast forecast, AnomalyAlert alert, Gap gap, int imputed) implements Outcome {}

    /** The observation was refused; the series' state is unchanged. */
    public record Refused(Reason reason, String detail) implements Outcome {}

    /** What happened to the time before an observation. */
    public enum Gap {
        NONE,
        IMPUTED,
        RESET
    }

    public SeriesForecaster(PipelineConfig pipeline, SequenceModel model) {
        this.pipeline = pipeline.name();
        this.model = model;
        this.modelRef = new ModelRef(model.info().name(), model.info().version());
        this.mode = pipeline.mode();
        this.features = pipeline.input().fields().features();
        this.horizon = pipeline.forecast().horizon();
        this.windowLength = mode == Mode.WINDOWED ? pipeline.window().length() : 0;
        this.stride = pipeline.window().stride();
        this.intervalMs = pipeline.sampling().interval().toMillis();
        this.gapMs = pipeline.sampling().gapTolerance() * intervalMs;
        this.gapPolicy = pipeline.sampling().gapPolicy();
        this.maxImpute = pipeline.sampling().maxImputeSteps();
        this.warmup = pipeline.anomaly().warmup();
        this.coverage = pipeline.forecast().coverage();
        this.zq = Math.sqrt(2) * Erf.erfInv(coverage);
        this.alerts = new AlertTracker(pipeline.name(), pipeline.anomaly());
        this.falseAlertRate = pipeline.anomaly().falseAlertRate();
        var anomaly = pipeline.anomaly();
        this.novelty = new Novelty(anomaly.warmup(), anomaly.refractory().toMillis(),
                pipeline.profiles().dailyBuckets(), pipeline.profiles().weeklyBuckets(), intervalMs,
                anomaly.levelNovelty());
        this.combination = pipeline.forecast().combine() ? new Combination(horizon, novelty, intervalMs) : null;
        this.modelSteps = new double[horizon];
        this.combined = new double[horizon];
        this.architecture = architectureOf(model.info());
        int modelHorizon = model.info().outputSize() / features;
        if (model.info().inputSize() != features || modelHorizon < horizon) {
            throw new IllegalArgumentException("model " + modelRef + " takes " + model.info().inputSize()
                    + " inputs and forecasts " + modelHorizon + " steps; pipeline " + pipeline.name() + " needs "
                    + features + " inputs and " + horizon + " steps");
        }
        this.input = new float[features];
        this.output = new float[model.info().outputSize()];
        this.scratchState = new float[model.stateSize()];
        this.fresh = new double[horizon];
    }

    /** The state of a series never seen before. */
    public SeriesState initialState() {
        SeriesState s = SeriesState.initial(features, mode == Mode.STATEFUL ? model.stateSize() : 0, horizon,
                windowLength, novelty.features(), novelty.buckets());
        if (combination != null) {
            combination.init(s);
        }
        s.architecture = architecture;
        return s;
    }

    /**
     * Identifies a network architecture: cell, layer sizes, inputs and outputs (never 0). Stored with the state, so
     * the same in every JVM: hashed from the cell's name, not the enum constant (whose hash is per JVM).
     */
    public static int architectureOf(ModelInfo info) {
        int h = java.util.Objects.hash(info.cell().name(), info.hiddenSizes(), info.inputSize(), info.outputSize());
        return h == 0 ? 1 : h;
    }

    /**
     * The state to advance for a stored one (null when the series is new): the stored state itself when it fits this
     * forecaster; the same state with its hidden state and pending forecasts reset (the series warms up again, its
     * scale and error statistics kept) when it was made by a model of another architecture; fresh novelty statistics
     * when the pipeline's seasonal profiles changed; a fresh state when the pipeline's shape changed (features,
     * horizon, window).
     */
    public SeriesState adopt(SeriesState stored) {
        if (stored == null || incompatible(stored)) {
            return initialState();
        }
        int hiddenSize = mode == Mode.STATEFUL ? model.stateSize() : 0;
        boolean sameArchitecture = stored.architecture == architecture
                || (stored.architecture == 0 && stored.hidden.length == hiddenSize);
        if (!sameArchitecture) {
            stored.hidden = new float[hiddenSize];
            stored.reset();
            stored.architecture = architecture;
        }
        if (!novelty.fits(stored)) {
            stored.initNovelty(novelty.features(), novelty.buckets());
        }
        if (combination != null && !combination.fits(stored)) {
            combination.init(stored);
        } else if (combination == null && stored.recent.length > 0) {
            stored.candidateMse = new float[0];
            stored.candidateCount = new int[0];
            stored.modelPending = new float[0];
            stored.recent = new float[0];
        }
        return stored;
    }

    /**
     * True when {@code state} was made for another pipeline shape (horizon, features, window) and must be started
     * afresh.
     */
    public boolean incompatible(SeriesState state) {
        return state.features() != features || state.horizon() != horizon
                || state.window.length != windowLength * features;
    }

    public Outcome process(SeriesState s, Observation o) {
        Gap gap = Gap.NONE;
        int imputed = 0;
        if (s.lastTime != Long.MIN_VALUE) {
            if (o.time() < s.lastTime) {
                return new Refused(Reason.LATE, "event time " + ObservationParser.formatTime(o.time())
                        + " is older than the series' last event time " + ObservationParser.formatTime(s.lastTime));
            }
            if (o.time() == s.lastTime) {
                return new Refused(Reason.DUPLICATE, "event time " + ObservationParser.formatTime(o.time())
                        + " equals the series' last event time");
            }
            long dt = o.time() - s.lastTime;
            if (dt > gapMs) {
                long missing = Math.round((double) dt / intervalMs) - 1;
                if (gapPolicy == GapPolicy.IMPUTE && missing >= 1 && missing <= maxImpute && impute(s, (int) missing)) {
                    gap = Gap.IMPUTED;
                    imputed = (int) missing;
                } else {
                    s.reset();
                    gap = Gap.RESET;
                }
            }
        }

        double x = o.value();
        // score against the most recent forecast for this time, with statistics from before this observation
        int age = freshestRow(s, 0);
        ForecastStep expected = null;
        double sigmas = 0;
        if (age >= 0) {
            double forecast = s.pending[(age * horizon + age) * features];
            double std = Normalizer.std(s.mean, s.var, 0);
            double rms = rms(s, age, 0);
            double half = halfWidth(s, age, std);
            expected = new ForecastStep(age + 1, o.time(), forecast, forecast - half, forecast + half);
            sigmas = (x - forecast) / (std * rms);
        }
        updateResiduals(s, o.values());
        if (combination != null && s.normCount >= MIN_SCALE_OBSERVATIONS) {
            combination.observe(s, x, o.time(), Normalizer.std(s.mean, s.var, 0));
        }
        // anomaly score (anomaly/): the residual's likelihood, what is new to the series, and their fusion
        AnomalyLikelihood.Verdict likelihood = expected == null ? AnomalyLikelihood.Verdict.NONE
                : AnomalyLikelihood.observe(s.likelihood, x - expected.value(), falseAlertRate);
        AnomalyScore score = AnomalyFusion.fuse(sigmas, novelty.assess(s, o.time(), x), likelihood, falseAlertRate);
        boolean warmingUp = s.sinceReset < warmup;
        AnomalyAlert alert = alerts.observe(s, o.series(), o.time(), x, expected, score, warmingUp, modelRef, o.tags());

        for (int f = 0; f < features; f++) {
            Normalizer.update(s.normCount, s.mean, s.var, f, o.values()[f]);
        }
        s.normCount++;
        advance(s, o.values(), o.time());
        s.lastTime = o.time();
        s.count++;

        return new Accepted(
                new Forecast(o.series(), pipeline, o.time(), x, expected, score.score(), warmingUp, modelRef, coverage,
                        steps(s, o.time())),
                alert,
                gap,
                imputed);
    }

    /** Feeds {@code missing} imputed steps: each the freshest published forecast for it. False if there is none. */
    private boolean impute(SeriesState s, int missing) {
        double[] values = new double[features];
        for (int i = 0; i < missing; i++) {
            int age = freshestRow(s, 0);
            if (age < 0) {
                return false;
            }
            for (int f = 0; f < features; f++) {
                values[f] = s.pending[(age * horizon + age) * features + f];
            }
            advance(s, values, s.lastTime + (i + 1) * intervalMs);
        }
        return true;
    }

    /**
     * One step of the series at {@code time}: model step (stateful) or window append and maybe a run (windowed); new
     * pending row, combined if the pipeline combines.
     */
    private void advance(SeriesState s, double[] values, long time) {
        boolean produced;
        if (mode == Mode.STATEFUL) {
            for (int f = 0; f < features; f++) {
                input[f] = Normalizer.normalize(s.mean, s.var, f, values[f]);
            }
            model.step(1, input, s.hidden, output);
            produced = true;
        } else {
            for (int f = 0; f < features; f++) {
                s.window[s.windowHead * features + f] = (float) values[f];
            }
            s.windowHead = (s.windowHead + 1) % windowLength;
            s.windowFill = Math.min(s.windowFill + 1, windowLength);
            s.sinceRun++;
            produced = s.windowFill == windowLength && s.sinceRun >= stride;
            if (produced) {
                runWindow(s);
                s.sinceRun = 0;
            }
        }
        int row = horizon * features;
        System.arraycopy(s.pending, 0, s.pending, row, (horizon - 1) * row);
        freshValid = produced;
        if (produced) {
            for (int k = 0; k < horizon; k++) {
                for (int f = 0; f < features; f++) {
                    double value = Normalizer.denormalize(s.mean, s.var, f, output[k * features + f]);
                    s.pending[k * features + f] = (float) value;
                    if (f == 0) {
                        fresh[k] = value;
                    }
                }
            }
        } else {
            Arrays.fill(s.pending, 0, row, Float.NaN);
        }
        if (combination != null) {
            for (int k = 0; k < horizon; k++) {
                modelSteps[k] = produced ? fresh[k] : Double.NaN;
            }
            combination.combine(s, time, values[0], modelSteps, combined);
            if (produced) {
                for (int k = 0; k < horizon; k++) {
                    fresh[k] = combined[k];
                    s.pending[k * features] = (float) combined[k];
                }
            }
        }
        s.sinceReset++;
    }

    /** Runs the model from a zero state over the window, oldest first; leaves the last output in {@code output}. */
    private void runWindow(SeriesState s) {
        Arrays.fill(scratchState, 0f);
        for (int i = 0; i < windowLength; i++) {
            int slot = (s.windowHead + i) % windowLength;
            for (int f = 0; f < features; f++) {
                input[f] = Normalizer.normalize(s.mean, s.var, f, s.window[slot * features + f]);
            }
            model.step(1, input, scratchState, output);
        }
    }

    /** Row index (age - 1) of the most recent pending forecast that covers the current time, or -1. */
    private int freshestRow(SeriesState s, int feature) {
        for (int a = 0; a < horizon; a++) {
            if (!Float.isNaN(s.pending[(a * horizon + a) * features + feature])) {
                return a;
            }
        }
        return -1;
    }

    private void updateResiduals(SeriesState s, double[] values) {
        if (s.normCount < MIN_SCALE_OBSERVATIONS) {
            return; // the series' scale is not known yet: residuals in its units would be meaningless
        }
        for (int k = 0; k < horizon; k++) {
            int base = (k * horizon + k) * features;
            if (Float.isNaN(s.pending[base])) {
                continue;
            }
            double beta = 1.0 / Math.min(s.residualCount[k] + 1, RESIDUAL_MEMORY);
            for (int f = 0; f < features; f++) {
                double e = (values[f] - s.pending[base + f]) / Normalizer.std(s.mean, s.var, f);
                e = Math.max(-Normalizer.CLIP, Math.min(Normalizer.CLIP, e));
                int i = k * features + f;
                if (f == 0 && s.residualCount[k] > 0) {
                    // adaptive conformal calibration: widen after a miss, narrow after a hit, so that the long-run
                    // miss rate tends to 1 - coverage whatever the shape of the residuals' distribution
                    double miss = Math.abs(e) > zq * s.intervalScale[k] * rms(s, k, 0) ? 1 : 0;
                    double scale = s.intervalScale[k] * Math.exp(CALIBRATION_RATE * (miss - (1 - coverage)));
                    s.intervalScale[k] = (float) Math.max(0.05, Math.min(20, scale));
                }
                s.residualMs[i] = (float) ((1 - beta) * s.residualMs[i] + beta * e * e);
            }
            if (s.residualCount[k] < RESIDUAL_MEMORY) {
                s.residualCount[k]++;
            }
        }
    }

    /** Half-width of the interval of forecasts {@code k + 1} steps ahead, for a series of scale {@code std}. */
    private double halfWidth(SeriesState s, int k, double std) {
        return zq * s.intervalScale[k] * rms(s, k, 0) * std;
    }

    /** RMS normalised residual of forecasts {@code k + 1} steps ahead; the series' own scale (1) before any. */
    private double rms(SeriesState s, int k, int feature) {
        if (s.residualCount[k] == 0) {
            return 1.0;
        }
        return Math.max(Math.sqrt(s.residualMs[k * features + feature]), 1e-6);
    }

    /** Forecasts from now on, from the freshest pending forecast (re-indexed to steps from now). */
    private List<ForecastStep> steps(SeriesState s, long now) {
        int row = -1;
        for (int a = 0; a < horizon; a++) {
            if (!Float.isNaN(s.pending[(a * horizon + a) * features])) {
                row = a;
                break;
            }
        }
        if (row < 0) {
            return List.of();
        }
        double std = Normalizer.std(s.mean, s.var, 0);
        List<ForecastStep> steps = new ArrayList<>(horizon - row);
        for (int k = row; k < horizon; k++) {
            int ahead = k - row + 1;
            double value = row == 0 && freshValid ? fresh[k] : s.pending[(row * horizon + k) * features];
            double half = halfWidth(s, k, std);
            steps.add(new ForecastStep(ahead, now + ahead * intervalMs, value, value - half, value + half));
        }
        return steps;
    }
}
