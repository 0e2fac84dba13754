package io.seqcast.evaluate;

import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import java.util.Arrays;
import java.util.List;

/**
 * What one method forecast at every origin of a series: {@link #point(int, int)} is the forecast made at row
 * {@code origin} (after seeing it) for row {@code origin + step}. NaN where the method made none. Interval bounds are
 * kept when the method has them.
 *
 * @param method name in reports
 * @param rows rows of the series (origins)
 * @param horizon steps forecast at each origin
 * @param points row-major {@code rows x horizon}
 * @param lower lower interval bounds, same layout; null when the method has no intervals
 * @param upper upper interval bounds; null when the method has no intervals
 */
public record OriginForecasts(String method, int rows, int horizon, double[] points, double[] lower, double[] upper) {

    /** An empty table (every forecast missing), without intervals unless {@code intervals}. */
    public static OriginForecasts empty(String method, int rows, int horizon, boolean intervals) {
        double[] points = nan(rows * horizon);
        return new OriginForecasts(
                method,
                rows,
                horizon,
                points,
                intervals ? nan(rows * horizon) : null,
                intervals ? nan(rows * horizon) : null);
    }

    /**
     * The forecast events an engine published, one per row (null where it refused the row), placed by each step's
     * {@link ForecastStep#step() step}; steps beyond {@code horizon} are ignored.
     */
    public static OriginForecasts ofEvents(String method, List<Forecast> events, int horizon) {
        OriginForecasts f = empty(method, events.size(), horizon, true);
        for (int o = 0; o < events.size(); o++) {
            Forecast e = events.get(o);
            if (e == null) {
                continue;
            }
            for (ForecastStep s : e.steps()) {
                if (s.step() >= 1 && s.step() <= horizon) {
                    int i = o * horizon + s.step() - 1;
                    f.points[i] = s.value();
                    f.lower[i] = s.lower();
                    f.upper[i] = s.upper();
                }
            }
        }
        return f;
    }

    /** The forecast made at {@code origin} for {@code step} (1-based) rows later; NaN when none. */
    public double point(int origin, int step) {
        return points[origin * horizon + step - 1];
    }

    public boolean hasIntervals() {
        return lower != null;
    }

    /** Whether {@code actual} is inside the interval made at {@code origin} for {@code step}. */
    public boolean covers(int origin, int step, double actual) {
        int i = origin * horizon + step - 1;
        return actual >= lower[i] && actual <= upper[i];
    }

    void set(int origin, int step, double value) {
        points[origin * horizon + step - 1] = value;
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
