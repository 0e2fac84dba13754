package io.seqcast.forecast;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.Mode;
import io.seqcast.event.Covariates;
import io.seqcast.model.ModelInputs;
import io.seqcast.model.SequenceModel;
import io.seqcast.model.WholeSequenceModel;
import io.seqcast.state.LegacyState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;
import java.util.Arrays;

/**
 * The model: per step, one recurrent step from the series' hidden state (stateful mode), or the step's values into the
 * window and, every {@code stride} steps once it is full, a run of the model from a zero state over it (windowed
 * mode). Leaves the model's forecasts, in the series' units, in {@link Step#forecast} and the target's in
 * {@link Step#fresh}.
 *
 * <p>With covariates ({@code model.covariates}), the model's input at every step is the step's normalised values then
 * {@link Covariates} of the step's event time; the windowed mode keeps each step's covariates in the window beside its
 * raw values.
 *
 * <p>A stateful model that reads differences ({@link ModelInputs#VALUES_AND_DIFFERENCES}, from its artifact's metadata)
 * gets each step's normalised values, their first differences, then the covariates, computed by {@link ModelInputs}
 * as {@code seqcast train} computes them; the previous step's normalised values are kept in the series' state after
 * the model's hidden state ({@link Recurrent#hidden}), so that they reset with it.
 *
 * <p>Conventions: the model's output at a step is {@code modelHorizon * features} normalised values, step-major; only
 * the first {@code horizon} steps are used.
 */
final class ModelStage implements Stage<Recurrent> {

    static final int TAG = 2;

    private final SequenceModel model;
    private final ScaleStage scale;
    private final Mode mode;
    private final int features;
    private final Covariates covariates;
    /** What the model reads per feature: the values, or the values and their differences (stateful). */
    private final ModelInputs inputs;
    /** Inputs per step: the values (and their differences), then the covariates. */
    private final int width;

    private final int horizon;
    private final int modelHorizon;
    private final int windowLength;
    private final int stride;
    private final int hiddenSize;
    private final int architecture;
    private final float[] input;
    /** A step's normalised values (stateful). */
    private final float[] z;

    private final float[] output;
    private final float[] scratchState;
    /** The window oldest first, raw; then normalised. */
    private final float[] ordered;

    private final float[] normalized;
    /** The model's input over the window: {@code normalized} itself without covariates. */
    private final float[] withCovariates;

    ModelStage(PipelineConfig pipeline, SequenceModel model, ScaleStage scale) {
        this.model = model;
        this.scale = scale;
        this.mode = pipeline.mode();
        this.features = pipeline.input().fields().features();
        this.covariates = pipeline.covariates();
        this.inputs = mode == Mode.STATEFUL ? model.inputs() : ModelInputs.VALUES;
        this.width = inputs.width(features) + covariates.width();
        this.horizon = pipeline.forecast().horizon();
        this.modelHorizon = model.info().outputSize() / features;
        this.windowLength = mode == Mode.WINDOWED ? pipeline.window().length() : 0;
        this.stride = pipeline.window().stride();
        // the model's hidden state, then the previous normalised values of a model that reads differences
        this.hiddenSize = mode == Mode.STATEFUL ? model.stateSize() + inputs.carried(features) : 0;
        // with model.routes, a series may be stepped by several models of one architecture: the state is tied to the
        // model itself, so that a series whose model changes warms up again rather than continue another's state
        this.architecture = pipeline.routes().isEmpty()
                ? SeriesForecaster.architectureOf(model.info())
                : SeriesForecaster.identityOf(model.info());
        this.input = new float[width];
        this.z = new float[features];
        this.output = new float[model.info().outputSize()];
        this.scratchState = new float[model.stateSize()];
        this.ordered = new float[windowLength * features];
        // windowed: the window holds the values and covariates of each step (width is features + covariates)
        this.normalized = new float[windowLength * features];
        this.withCovariates = covariates.isEmpty() ? normalized : new float[windowLength * width];
    }

    @Override
    public Recurrent initial() {
        Recurrent r = new Recurrent();
        r.architecture = architecture;
        r.hidden = new float[hiddenSize];
        r.window = new float[windowLength * width];
        return r;
    }

    @Override
    public boolean fits(Recurrent r) {
        return r.window.length == windowLength * width;
    }

    @Override
    public boolean restartsSeries() {
        return true;
    }

    @Override
    public boolean warmsUp(Recurrent r) {
        return !(r.architecture == architecture || (r.architecture == 0 && r.hidden.length == hiddenSize));
    }

    @Override
    public Recurrent adopt(Recurrent r) {
        if (warmsUp(r)) {
            r.hidden = new float[hiddenSize];
            r.architecture = architecture;
        }
        return r;
    }

    @Override
    public void advance(Step step, Recurrent r) {
        Scale sc = step.state().slice(scale);
        double[] values = step.stepValues;
        boolean produced;
        if (mode == Mode.STATEFUL) {
            for (int f = 0; f < features; f++) {
                z[f] = Normalizer.normalize(sc.mean, sc.var, f, values[f]);
            }
            inputs.fill(z, features, r.hidden, model.stateSize(), input, 0);
            covariates.fill(step.stepTime, input, inputs.width(features));
            model.step(1, input, r.hidden, output);
            produced = true;
        } else {
            for (int f = 0; f < features; f++) {
                r.window[r.windowHead * width + f] = (float) values[f];
            }
            covariates.fill(step.stepTime, r.window, r.windowHead * width + features);
            r.windowHead = (r.windowHead + 1) % windowLength;
            r.windowFill = Math.min(r.windowFill + 1, windowLength);
            r.sinceRun++;
            produced = r.windowFill == windowLength && r.sinceRun >= stride;
            if (produced) {
                runWindow(r, sc);
                r.sinceRun = 0;
            }
        }
        step.produced = produced;
        step.modelProduced = produced;
        if (produced) {
            for (int k = 0; k < horizon; k++) {
                for (int f = 0; f < features; f++) {
                    double value = k < modelHorizon
                            ? Normalizer.denormalize(sc.mean, sc.var, f, output[k * features + f])
                            : Double.NaN; // beyond the model's horizon: learned without it (LearnedStage)
                    step.forecast[k * features + f] = value;
                    if (f == 0) {
                        step.fresh[k] = value;
                    }
                }
            }
        }
    }

    /**
     * Runs the model over the window, oldest first, normalised with the series' statistics now (as windowed models
     * are trained: {@link WindowExamples}): from a zero state step by step, or in one run for a model of a shape the
     * kernel does not step ({@link WholeSequenceModel}); leaves the last output in {@code output}.
     */
    private void runWindow(Recurrent r, Scale sc) {
        for (int i = 0; i < windowLength; i++) {
            int slot = (r.windowHead + i) % windowLength;
            System.arraycopy(r.window, slot * width, ordered, i * features, features);
        }
        Normalizer.normalizeWindow(sc.mean, sc.var, ordered, windowLength, features, normalized);
        if (!covariates.isEmpty()) {
            for (int i = 0; i < windowLength; i++) {
                int slot = (r.windowHead + i) % windowLength;
                System.arraycopy(normalized, i * features, withCovariates, i * width, features);
                System.arraycopy(
                        r.window, slot * width + features, withCovariates, i * width + features, width - features);
            }
        }
        if (model instanceof WholeSequenceModel whole) {
            whole.run(withCovariates, output);
            return;
        }
        Arrays.fill(scratchState, 0f);
        for (int i = 0; i < windowLength; i++) {
            System.arraycopy(withCovariates, i * width, input, 0, width);
            model.step(1, input, scratchState, output);
        }
    }

    @Override
    public void reset(Recurrent r) {
        Arrays.fill(r.hidden, 0f);
        r.windowFill = 0;
        r.windowHead = 0;
        r.sinceRun = 0;
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void write(Recurrent r, StateOutput out) {
        out.putInt(r.architecture);
        out.varint(r.hidden.length);
        out.floats(r.hidden);
        out.varint(r.window.length);
        if (r.window.length > 0) {
            out.floats(r.window);
            out.varint(r.windowFill).varint(r.windowHead).varint(r.sinceRun);
        }
    }

    @Override
    public Recurrent read(StateInput in, int version) {
        Recurrent r = new Recurrent();
        r.architecture = in.getInt();
        r.hidden = in.floats(in.size());
        r.window = new float[0];
        int window = in.size();
        if (window > 0) {
            r.window = in.floats(window);
            r.windowFill = (int) in.varint();
            r.windowHead = (int) in.varint();
            r.sinceRun = (int) in.varint();
        }
        return r;
    }

    @Override
    public Recurrent upgrade(LegacyState old) {
        Recurrent r = new Recurrent();
        r.architecture = old.architecture;
        r.hidden = old.hidden;
        r.window = old.window;
        r.windowFill = old.windowFill;
        r.windowHead = old.windowHead;
        r.sinceRun = old.sinceRun;
        return r;
    }
}
