package io.seqcast.trainer;

import io.seqcast.forecast.Normalizer;
import io.seqcast.model.SequenceModel;

/**
 * How well a model alone forecasts the end of a series, as the engine's stateful mode forecasts it: from the zero
 * state at the start of the window, each observation normalised with the series' causal statistics, one model step,
 * the outputs denormalised with the same statistics. Only forecasts whose target lies in the held-back stretch are
 * scored; their origins may lie before it (the stretch itself is never trained on).
 *
 * @param mae mean absolute error over the scored forecasts, every step 1..H alike
 * @param scale the series' in-sample naive error: mean |y(t) - y(t-1)| over the part before the stretch
 * @param forecasts forecasts scored
 */
public record HeldOutScore(double mae, double scale, long forecasts) {

    /** Floor of the scale, so that a constant series yields finite scores. */
    static final double MIN_SCALE = 1e-9;

    /** Mean absolute scaled error (MAE over the in-sample naive error): one scale across series and steps. */
    public double mase() {
        return mae / scale;
    }

    /**
     * Scores {@code model} on {@code values[heldFrom..]}.
     *
     * @param horizon steps ahead scored, at most the model's horizon
     */
    public static HeldOutScore of(SequenceModel model, double[] values, int heldFrom, int horizon) {
        int outputs = model.info().outputSize();
        if (horizon < 1 || horizon > outputs) {
            throw new IllegalArgumentException("horizon " + horizon + " is outside 1.." + outputs + " of model "
                    + model.info().name() + " " + model.info().version());
        }
        if (heldFrom < 2 || heldFrom >= values.length) {
            throw new IllegalArgumentException(
                    "the held-back stretch must start in 2.." + (values.length - 1) + ", got " + heldFrom);
        }
        double[] mean = new double[1];
        double[] var = new double[1];
        // the model's hidden state, then the previous normalised value of a model that reads differences
        float[] state = new float[model.stateSize() + model.inputs().carried(1)];
        float[] input = new float[model.inputs().width(1)];
        float[] z = new float[1];
        float[] output = new float[outputs];
        double sum = 0;
        long n = 0;
        for (int t = 0; t < values.length - 1; t++) {
            Normalizer.update(t, mean, var, 0, values[t]);
            z[0] = Normalizer.normalize(mean, var, 0, values[t]);
            model.inputs().fill(z, 1, state, model.stateSize(), input, 0);
            model.step(1, input, state, output);
            for (int k = 0; k < horizon; k++) {
                int target = t + 1 + k;
                if (target >= heldFrom && target < values.length) {
                    double forecast = Normalizer.denormalize(mean, var, 0, output[k]);
                    sum += Math.abs(forecast - values[target]);
                    n++;
                }
            }
        }
        double scale = 0;
        for (int t = 1; t < heldFrom; t++) {
            scale += Math.abs(values[t] - values[t - 1]);
        }
        scale = Math.max(scale / (heldFrom - 1), MIN_SCALE);
        double mae = n == 0 ? Double.NaN : sum / n;
        return new HeldOutScore(Double.isFinite(mae) ? mae : Double.NaN, scale, n);
    }

    /**
     * The ratio of a model's recent one-step error to its longer-run error on a series: its mean absolute one-step
     * error, in units of the series' causal standard deviation, over the last {@code recent} observations, divided by
     * the same over the observations before them (after the first {@code warmup}, while state and statistics
     * settle). NaN when the series is too short for both parts.
     */
    public static double driftRatio(SequenceModel model, double[] values, int recent, int warmup) {
        int longFrom = warmup;
        int recentFrom = values.length - recent;
        if (recent < 1 || recentFrom - longFrom < recent) {
            return Double.NaN;
        }
        double[] mean = new double[1];
        double[] var = new double[1];
        // the model's hidden state, then the previous normalised value of a model that reads differences
        float[] state = new float[model.stateSize() + model.inputs().carried(1)];
        float[] input = new float[model.inputs().width(1)];
        float[] z = new float[1];
        float[] output = new float[model.info().outputSize()];
        double longSum = 0;
        double recentSum = 0;
        double previous = Double.NaN;
        double previousStd = Double.NaN;
        for (int t = 0; t < values.length; t++) {
            if (t >= longFrom && !Double.isNaN(previous)) {
                double e = Math.abs(previous - values[t]) / previousStd;
                if (t >= recentFrom) {
                    recentSum += e;
                } else {
                    longSum += e;
                }
            }
            Normalizer.update(t, mean, var, 0, values[t]);
            z[0] = Normalizer.normalize(mean, var, 0, values[t]);
            model.inputs().fill(z, 1, state, model.stateSize(), input, 0);
            model.step(1, input, state, output);
            previous = Normalizer.denormalize(mean, var, 0, output[0]);
            previousStd = Normalizer.std(mean, var, 0);
        }
        double longRun = longSum / (recentFrom - longFrom);
        double recentRun = recentSum / recent;
        return longRun > 0 ? recentRun / longRun : Double.NaN;
    }
}
