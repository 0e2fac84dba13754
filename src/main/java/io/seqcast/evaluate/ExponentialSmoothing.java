package io.seqcast.evaluate;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Exponential smoothing with additive errors, a damped additive trend and, when a season is given, an additive
 * seasonal component: ETS(A,Ad,A), or ETS(A,Ad,N) without a season (Hyndman et al. 2008, Forecasting with Exponential
 * Smoothing, table 2.3). With one-step error {@code e = y(t) - (l + phi b + s(t-m))}:
 *
 * <pre>
 *   l(t) = l(t-1) + phi b(t-1) + alpha e
 *   b(t) = phi b(t-1) + beta e
 *   s(t) = s(t-m) + gamma e
 *   forecast(t + h) = l(t) + (phi + ... + phi^h) b(t) + s(t + h - m ceil(h / m))
 * </pre>
 *
 * <p>The parameters minimise the one-step squared error over the history only ({@link #fit}), with commons-math's
 * BOBYQA within the usual admissible region ({@code 0 < beta < alpha < 1}, {@code 0 < gamma < 1 - alpha},
 * {@code 0.8 <= phi <= 0.98}); the initial states come from the history by classical decomposition. The forecasts
 * then run over the whole series with those parameters, updating the states causally.
 *
 * @param season season length in rows; 1 for no seasonal component
 * @param level0 initial level
 * @param trend0 initial trend per row
 * @param seasonal0 initial seasonal terms by phase {@code t mod season} (one zero when {@code season == 1})
 */
public record ExponentialSmoothing(
        int season,
        double alpha,
        double beta,
        double gamma,
        double phi,
        double level0,
        double trend0,
        double[] seasonal0) {

    private static final double LOW = 1e-4;
    private static final double HIGH = 1 - 1e-4;
    private static final double PHI_LOW = 0.8;
    private static final double PHI_HIGH = 0.98;

    /**
     * Fits to the first {@code trainSize} rows of {@code values}. The seasonal component is dropped when the history
     * holds fewer than two seasons.
     */
    public static ExponentialSmoothing fit(double[] values, int trainSize, int season) {
        int m = season > 1 && trainSize >= 2 * season ? season : 1;
        double[] seasonal = new double[m];
        double level0;
        double trend0;
        if (m > 1) {
            int seasons = trainSize / m;
            double[] means = new double[seasons];
            for (int k = 0; k < seasons; k++) {
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    sum += values[k * m + i];
                }
                means[k] = sum / m;
            }
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int k = 0; k < seasons; k++) {
                    sum += values[k * m + i] - means[k];
                }
                seasonal[i] = sum / seasons;
            }
            level0 = means[0];
            trend0 = (means[seasons - 1] - means[0]) / ((seasons - 1.0) * m);
        } else {
            level0 = values[0];
            trend0 = 0;
        }
        double variance = 0;
        for (int t = 1; t < trainSize; t++) {
            variance += (values[t] - values[t - 1]) * (values[t] - values[t - 1]);
        }
        double norm = Math.max(variance, 1e-300);
        final int seasonLength = m;
        MultivariateFunction objective = x -> {
            ExponentialSmoothing e = fromSearch(x, seasonLength, level0, trend0, seasonal);
            double sse = e.oneStepSquaredError(values, trainSize) / norm;
            return Double.isFinite(sse) ? sse : Double.MAX_VALUE;
        };
        double[] lower = {LOW, LOW, LOW, PHI_LOW};
        double[] upper = {HIGH, HIGH, HIGH, PHI_HIGH};
        PointValuePair best = null;
        for (double alpha : new double[] {0.2, 0.5, 0.9}) {
            BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * 4 + 1);
            PointValuePair p = optimizer.optimize(
                    new MaxEval(2000),
                    new ObjectiveFunction(objective),
                    GoalType.MINIMIZE,
                    new InitialGuess(new double[] {alpha, 0.05, 0.05, 0.9}),
                    new SimpleBounds(lower, upper));
            if (best == null || p.getValue() < best.getValue()) {
                best = p;
            }
        }
        return fromSearch(best.getPoint(), m, level0, trend0, seasonal);
    }

    /** The search space: alpha, beta / alpha, gamma / (1 - alpha), phi; so every point is admissible. */
    private static ExponentialSmoothing fromSearch(
            double[] x, int m, double level0, double trend0, double[] seasonal0) {
        double alpha = x[0];
        return new ExponentialSmoothing(
                m, alpha, x[1] * alpha, m > 1 ? x[2] * (1 - alpha) : 0, x[3], level0, trend0, seasonal0);
    }

    /** Sum of squared one-step errors over rows {@code [0, end)}. */
    double oneStepSquaredError(double[] values, int end) {
        double level = level0;
        double trend = trend0;
        double[] s = seasonal0.clone();
        double sse = 0;
        for (int t = 0; t < end; t++) {
            int phase = t % season;
            double e = values[t] - (level + phi * trend + s[phase]);
            sse += e * e;
            level = level + phi * trend + alpha * e;
            trend = phi * trend + beta * e;
            s[phase] += gamma * e;
        }
        return sse;
    }

    /** The forecasts for steps 1..{@code horizon} made at every row of {@code values}, after updating with it. */
    public OriginForecasts forecasts(double[] values, int horizon) {
        OriginForecasts f = OriginForecasts.empty("ETS", values.length, horizon, false);
        double level = level0;
        double trend = trend0;
        double[] s = seasonal0.clone();
        for (int t = 0; t < values.length; t++) {
            int phase = t % season;
            double e = values[t] - (level + phi * trend + s[phase]);
            level = level + phi * trend + alpha * e;
            trend = phi * trend + beta * e;
            s[phase] += gamma * e;
            double damped = 0;
            double power = 1;
            for (int h = 1; h <= horizon; h++) {
                power *= phi;
                damped += power;
                f.set(t, h, level + damped * trend + s[(t + h) % season]);
            }
        }
        return f;
    }

    /** Parameters for reports. */
    public String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "ETS(A,Ad,%s): alpha %.4f, beta %.4f, gamma %.4f, phi %.3f",
                season > 1 ? "A, m=" + season : "N",
                alpha,
                beta,
                gamma,
                phi);
    }
}
