package io.seqcast.forecast;

import io.seqcast.anomaly.AnomalyLikelihood;
import io.seqcast.anomaly.AnomalyScore;
import io.seqcast.errors.Reason;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import io.seqcast.event.Observation;
import io.seqcast.forecast.Outcome.Gap;
import io.seqcast.state.SeriesState;

/**
 * What the stages of one observation's step tell each other: set by the stage named on each field, read by the later
 * ones. One instance per forecaster, reused from observation to observation (no allocation on the hot path); a
 * stage reads only what earlier stages of this observation set.
 */
public final class Step {

    private final SeriesForecaster forecaster;
    /** The model that makes this pipeline's forecasts. */
    public final ModelRef model;

    SeriesState state;
    /** The observation. */
    public Observation observation;
    /** Its event time. */
    public long time;
    /** Its values, the target first. */
    public double[] values;
    /** Its target value. */
    public double x;

    Reason refusal;
    String refusalDetail;
    /** Time stage: what the time before the observation did. */
    public Gap gap;
    /** Time stage: steps imputed before it. */
    public int imputed;
    /** Time stage: whether the series is warming up (no alerts). */
    public boolean warmingUp;

    /** Forecast stage: the forecast made for this observation, with its interval; null when none was. */
    public ForecastStep expected;
    /** Forecast stage: the residual in units of the recent RMS residual. */
    public double sigmas;
    /** Likelihood stage: the anomaly likelihood's verdict on the residual ({@code Verdict.NONE} without a forecast). */
    public AnomalyLikelihood.Verdict likelihood;
    /** Scoring stages: the anomaly score (the novelty stage fuses the likelihood's and novelty's parts). */
    public AnomalyScore score;
    /** Seasonal profiles: per profile, its value for this time one season before; NaN where none. */
    public float[] seasonal = new float[0];
    /** Alert stage: the alert event this observation causes, or null. */
    public AnomalyAlert alert;

    /** Per model step: its event time. */
    public long stepTime;
    /** Per model step: its values (observed, or imputed). */
    public double[] stepValues;
    /** Model stage: whether the model made forecasts at this step (a learned stage may set it for its own). */
    public boolean produced;
    /** Model stage: whether the network itself made {@link #forecast} at this step (later stages leave it). */
    public boolean modelProduced;
    /** Model stage: its forecasts, {@code horizon * features} values, step-major, in the series' units. */
    public final double[] forecast;
    /** The target's forecasts published for steps 1..horizon: the model's, or their combination. */
    public final double[] fresh;

    Step(SeriesForecaster forecaster, ModelRef model, int horizon, int features) {
        this.forecaster = forecaster;
        this.model = model;
        this.forecast = new double[horizon * features];
        this.fresh = new double[horizon];
    }

    /** The series' state: its clock and every stage's slice. */
    public SeriesState state() {
        return state;
    }

    /** Refuses the observation (time stage): no later stage runs, and the state is left untouched. */
    public void refuse(Reason reason, String detail) {
        this.refusal = reason;
        this.refusalDetail = detail;
    }

    /** Runs every stage's {@link Stage#advance} for one step of {@code values} at {@code time} (an imputed step). */
    public void advance(double[] values, long time) {
        forecaster.advance(this, values, time);
    }

    /** Runs every stage's {@link Stage#reset}: the series warms up again. */
    public void resetSeries() {
        forecaster.reset(state);
    }

    void start(SeriesState state, Observation o) {
        this.state = state;
        this.observation = o;
        this.time = o.time();
        this.values = o.values();
        this.x = o.value();
        this.refusal = null;
        this.refusalDetail = null;
        this.gap = Gap.NONE;
        this.imputed = 0;
        this.warmingUp = false;
        this.expected = null;
        this.sigmas = 0;
        this.likelihood = AnomalyLikelihood.Verdict.NONE;
        this.score = AnomalyScore.NONE;
        this.alert = null;
        this.produced = false;
        this.modelProduced = false;
    }
}
