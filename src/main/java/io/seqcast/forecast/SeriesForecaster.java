package io.seqcast.forecast;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Forecast;
import io.seqcast.event.ModelRef;
import io.seqcast.event.Observation;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelInputs;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Advances one series by one observation through its pipeline's {@link Stage stages} ({@link Stages#standard}):
 * checks its time against the series' last one (late, duplicate, gap), scores it against the forecast made for it,
 * opens or resolves its alert, steps the model (stateful) or runs it over the window (windowed), and forecasts the
 * next {@code horizon} steps with intervals. Pure: all it keeps between observations is in the {@link SeriesState} it
 * is given, which it advances in place; a refused observation leaves the state untouched.
 *
 * <p>Conventions: the first feature of an observation is the target that forecasts, scores and alerts refer to.
 *
 * <p>Not thread-safe (scratch buffers); one instance per stream task.
 */
public final class SeriesForecaster {

    /** Memory, in observations, of the exponentially weighted residual statistics. */
    public static final int RESIDUAL_MEMORY = 500;
    /** Observations before residuals count: the series' scale must be known to express them in it. */
    public static final int MIN_SCALE_OBSERVATIONS = 10;

    private final String pipeline;
    private final ModelRef modelRef;
    private final double coverage;
    private final Stage<?>[] stages;
    private final ForecastStage forecasts;
    private final Step step;
    private boolean warmedUp;

    /**
     * Whether {@code pipeline} may forecast beyond its model's horizon: when each series learns its own forecasts of a
     * single feature (the steps beyond the model's are learned without the model's forecast among the inputs).
     */
    public static boolean beyondModel(PipelineConfig pipeline) {
        return pipeline.forecast().learning().enabled()
                && pipeline.input().fields().features() == 1;
    }

    public SeriesForecaster(PipelineConfig pipeline, SequenceModel model) {
        this(pipeline, model, UnaryOperator.identity());
    }

    /**
     * A forecaster whose stages are {@code stages} applied to the pipeline's standard ones ({@link Stages#standard}):
     * to add, replace or reorder stages.
     */
    public SeriesForecaster(PipelineConfig pipeline, SequenceModel model, UnaryOperator<List<Stage<?>>> stages) {
        this.pipeline = pipeline.name();
        this.modelRef = new ModelRef(model.info().name(), model.info().version());
        this.coverage = pipeline.forecast().coverage();
        int features = pipeline.input().fields().features();
        int horizon = pipeline.forecast().horizon();
        int modelHorizon = model.info().outputSize() / features;
        int inputs =
                (pipeline.mode() == PipelineConfig.Mode.STATEFUL ? model.inputs() : ModelInputs.VALUES).width(features)
                        + pipeline.covariates().width();
        if (model.info().inputSize() != inputs || (modelHorizon < horizon && !beyondModel(pipeline))) {
            throw new IllegalArgumentException("model " + modelRef + " takes "
                    + model.info().inputSize()
                    + " inputs and forecasts " + modelHorizon + " steps; pipeline " + pipeline.name() + " needs "
                    + inputs + " inputs and " + horizon + " steps");
        }
        List<Stage<?>> list = stages.apply(new ArrayList<>(Stages.standard(pipeline, model)));
        Set<Integer> tags = new HashSet<>();
        for (Stage<?> s : list) {
            if (s.tag() < 1 || s.tag() > 127 || !tags.add(s.tag())) {
                throw new IllegalArgumentException("stage " + s.getClass().getSimpleName() + " has tag " + s.tag()
                        + ", taken or outside 1..127: give it a free tag (see Stages)");
            }
        }
        this.stages = list.toArray(new Stage<?>[0]);
        this.forecasts = list.stream()
                .filter(ForecastStage.class::isInstance)
                .map(ForecastStage.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the stages have no ForecastStage"));
        this.step = new Step(this, modelRef, horizon, features);
    }

    /** The model this forecaster steps: named in every forecast. */
    public ModelRef modelRef() {
        return modelRef;
    }

    /** The stages, in order. */
    public List<Stage<?>> stages() {
        return List.of(stages);
    }

    /** The state of a series never seen before. */
    public SeriesState initialState() {
        Object[] slices = new Object[stages.length];
        for (int i = 0; i < stages.length; i++) {
            slices[i] = stages[i].initial();
        }
        return SeriesState.of(Long.MIN_VALUE, 0, stages, slices);
    }

    /**
     * Identifies a network architecture: cell, layer sizes, inputs and outputs (never 0). Stored with the state, so
     * the same in every JVM: hashed from the cell's name, not the enum constant (whose hash is per JVM).
     */
    public static int architectureOf(ModelInfo info) {
        int h = Objects.hash(info.cell().name(), info.hiddenSizes(), info.inputSize(), info.outputSize());
        return h == 0 ? 1 : h;
    }

    /**
     * Identifies a model: its {@link #architectureOf architecture}, name and version (never 0). The state of a series
     * in a pipeline with {@code model.routes} is tied to it, so a series whose model changes (another route, or a
     * published version) warms up again instead of continuing another model's hidden state.
     */
    public static int identityOf(ModelInfo info) {
        int h = 31 * architectureOf(info) + (info.name() + "@" + info.version()).hashCode();
        return h == 0 ? 1 : h;
    }

    /** Whether the last {@link #adopt} or {@link #process} adopted a state stepped by another model and reset it. */
    public boolean warmedUp() {
        return warmedUp;
    }

    /**
     * The state to advance for a stored one (null when the series is new): each stage keeps its stored slice when it
     * fits this pipeline ({@link Stage#fits}, {@link Stage#adopt}) and starts a fresh one otherwise (or when the state
     * has none: a stage added since); the whole series starts afresh when a slice that does not fit is one of a stage
     * that {@link Stage#restartsSeries restarts the series} (the pipeline's shape changed: features, horizon, window);
     * the series warms up again, keeping its scale and error statistics, when a stage says so (a model of another
     * architecture).
     */
    public SeriesState adopt(SeriesState stored) {
        warmedUp = false;
        if (stored == null) {
            return initialState();
        }
        if (!stored.adoptedBy(stages)) {
            adoptInPlace(stored);
        }
        return stored;
    }

    private void adoptInPlace(SeriesState stored) {
        warmedUp = false;
        Object[] slices = new Object[stages.length];
        boolean warm = false;
        for (int i = 0; i < stages.length; i++) {
            Object slice = stored.stored(stages[i]);
            if (slice != null && fits(stages[i], slice)) {
                warm |= warmsUp(stages[i], slice);
                slices[i] = slice;
            } else if (stages[i].restartsSeries()) {
                for (int j = 0; j < stages.length; j++) {
                    slices[j] = stages[j].initial();
                }
                stored.attach(Long.MIN_VALUE, 0, stages, slices);
                return;
            }
        }
        for (int i = 0; i < stages.length; i++) {
            slices[i] = slices[i] == null ? stages[i].initial() : adopt(stages[i], slices[i]);
        }
        stored.attach(stored.lastTime, stored.count, stages, slices);
        if (warm) {
            reset(stored);
            warmedUp = true;
        }
    }

    /** Advances {@code s} by the observation {@code o}; a state not yet adopted by this forecaster is adopted first. */
    public Outcome process(SeriesState s, Observation o) {
        if (!s.adoptedBy(stages)) {
            adoptInPlace(s);
        }
        step.start(s, o);
        for (Stage<?> stage : stages) {
            observe(stage, s);
            if (step.refusal != null) {
                return new Outcome.Refused(step.refusal, step.refusalDetail);
            }
        }
        advance(step, o.values(), o.time());
        return new Outcome.Accepted(
                new Forecast(
                        o.series(),
                        pipeline,
                        o.time(),
                        step.x,
                        step.expected,
                        step.score.score(),
                        step.warmingUp,
                        modelRef,
                        coverage,
                        forecasts.steps(step, o.time())),
                step.alert,
                step.gap,
                step.imputed);
    }

    /** One model step of every stage, of {@code values} at {@code time}. */
    void advance(Step step, double[] values, long time) {
        step.stepValues = values;
        step.stepTime = time;
        step.produced = false;
        SeriesState s = step.state();
        for (Stage<?> stage : stages) {
            advance(stage, s);
        }
    }

    /** Every stage's reset. */
    void reset(SeriesState s) {
        for (Stage<?> stage : stages) {
            reset(stage, s);
        }
    }

    private <S> void observe(Stage<S> stage, SeriesState s) {
        stage.observe(step, s.slice(stage));
    }

    private <S> void advance(Stage<S> stage, SeriesState s) {
        stage.advance(step, s.slice(stage));
    }

    private static <S> void reset(Stage<S> stage, SeriesState s) {
        stage.reset(s.slice(stage));
    }

    @SuppressWarnings("unchecked")
    private static <S> boolean fits(Stage<S> stage, Object slice) {
        return stage.fits((S) slice);
    }

    @SuppressWarnings("unchecked")
    private static <S> boolean warmsUp(Stage<S> stage, Object slice) {
        return stage.warmsUp((S) slice);
    }

    @SuppressWarnings("unchecked")
    private static <S> Object adopt(Stage<S> stage, Object slice) {
        return stage.adopt((S) slice);
    }
}
