package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.event.Observation;
import io.seqcast.forecast.Outcome.Accepted;
import io.seqcast.state.SeriesState;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Intervals hold their nominal coverage even when the residuals are far from normal, and after the noise changes. */
class IntervalCalibrationTest {

    /** Share of observations within the interval forecast for them, per step ahead, over {@code [from, to)}. */
    static double[] coverage(double noiseScale, double noiseScaleLater, int from, int to) {
        return coverage(
                noiseScale,
                noiseScaleLater,
                to / 2,
                from,
                to,
                io.seqcast.config.PipelineConfig.ForecastSettings.DEFAULT_CALIBRATION_RATE);
    }

    /** As above, the noise changing at {@code change}, the intervals calibrated at {@code rate}. */
    static double[] coverage(double noiseScale, double noiseScaleLater, int change, int from, int to, double rate) {
        var p = TestPipelines.stateful();
        var fs = p.forecast();
        p = p.withForecast(new io.seqcast.config.PipelineConfig.ForecastSettings(
                fs.horizon(), fs.coverage(), fs.combine(), fs.learning(), rate));
        SeriesForecaster f = new SeriesForecaster(p, new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        Random r = new Random(7);
        double[][] lower = new double[to + 4][3];
        double[][] upper = new double[to + 4][3];
        long[] inside = new long[3];
        long[] n = new long[3];
        for (int i = 0; i < to; i++) {
            double scale = i < change ? noiseScale : noiseScaleLater;
            // heavy-tailed noise: Student t with 3 degrees of freedom
            double chi = 0;
            for (int d = 0; d < 3; d++) {
                double g = r.nextGaussian();
                chi += g * g;
            }
            double x = 10 + Math.sin(i / 6.0) + scale * r.nextGaussian() / Math.sqrt(chi / 3);
            if (i >= from) {
                for (int k = 0; k < 3; k++) {
                    if (upper[i][k] > lower[i][k]) {
                        n[k]++;
                        inside[k] += x >= lower[i][k] && x <= upper[i][k] ? 1 : 0;
                    }
                }
            }
            var out = (Accepted) f.process(s, new Observation("s", i * 300_000L, new double[] {x}, Map.of()));
            for (var step : out.forecast().steps()) {
                lower[i + step.step()][step.step() - 1] = step.lower();
                upper[i + step.step()][step.step() - 1] = step.upper();
            }
        }
        double[] c = new double[3];
        for (int k = 0; k < 3; k++) {
            c[k] = (double) inside[k] / n[k];
        }
        return c;
    }

    @Test
    void shouldCoverWithinFivePointsOfNominalWithHeavyTailedResiduals() {
        for (double c : coverage(0.3, 0.3, 1000, 8000)) {
            assertTrue(Math.abs(c - 0.9) < 0.05, "coverage " + c + " for nominal 0.9");
        }
    }

    @Test
    void shouldStayCalibratedWhenTheNoiseGrows() {
        for (double c : coverage(0.1, 0.5, 4500, 8000)) {
            assertTrue(Math.abs(c - 0.9) < 0.05, "coverage after the change " + c + " for nominal 0.9");
        }
    }

    /**
     * {@code forecast.calibration-rate}: after the noise shrinks fivefold, intervals calibrated at 0.08 come back to
     * nominal coverage sooner than at 0.02 (over the 400 observations after the change).
     */
    @Test
    void shouldComeBackToNominalSoonerAtAFasterCalibrationRate() {
        double[] slow = coverage(0.5, 0.1, 3000, 3000, 3400, 0.02);
        double[] fast = coverage(0.5, 0.1, 3000, 3000, 3400, 0.08);
        for (int k = 0; k < 3; k++) {
            assertTrue(
                    Math.abs(fast[k] - 0.9) < Math.abs(slow[k] - 0.9),
                    "step " + (k + 1) + ": coverage " + fast[k] + " at 0.08, " + slow[k] + " at 0.02");
        }
    }
}
