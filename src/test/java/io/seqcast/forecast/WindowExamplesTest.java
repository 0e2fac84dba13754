package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.testing.Shapes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Windowed models are trained on windows normalised as the engine serves them: each window and its targets with the
 * series' statistics at the window's last observation, not each point with the statistics of its own time.
 */
class WindowExamplesTest {

    @Test
    void shouldNormaliseEachWindowAndItsTargetsWithTheStatisticsAtItsLastObservation() {
        int n = 40;
        int window = 5;
        int horizon = 3;
        double[][] series = new double[n][];
        for (int i = 0; i < n; i++) {
            series[i] = Shapes.values(1, i, 2);
        }
        List<WindowExamples.Example> examples = WindowExamples.of(series, window, horizon);
        assertEquals(n - window + 1 - horizon, examples.size());
        double[] mean = new double[2];
        double[] var = new double[2];
        float[] ownTime = new float[n * 2];
        int checked = 0;
        double largestDifferenceFromOwnTime = 0;
        for (int t = 0; t < n; t++) {
            for (int f = 0; f < 2; f++) {
                Normalizer.update(t, mean, var, f, series[t][f]);
                ownTime[t * 2 + f] = Normalizer.normalize(mean, var, f, series[t][f]);
            }
            for (WindowExamples.Example e : examples) {
                if (e.end() != t) {
                    continue;
                }
                for (int i = 0; i < window; i++) {
                    for (int f = 0; f < 2; f++) {
                        float expected = Normalizer.normalize(mean, var, f, (float) series[t - window + 1 + i][f]);
                        assertEquals(expected, e.input()[i * 2 + f], 0f, "window " + t + " step " + i);
                        largestDifferenceFromOwnTime = Math.max(
                                largestDifferenceFromOwnTime,
                                Math.abs(expected - ownTime[(t - window + 1 + i) * 2 + f]));
                    }
                }
                for (int k = 0; k < horizon; k++) {
                    for (int f = 0; f < 2; f++) {
                        assertEquals(
                                Normalizer.normalize(mean, var, f, series[t + 1 + k][f]),
                                e.target()[k * 2 + f],
                                0f,
                                "target " + t + " step " + k);
                    }
                }
                checked++;
            }
        }
        assertEquals(examples.size(), checked);
        // the two conventions differ (this test would catch a return to the old one)
        assertTrue(largestDifferenceFromOwnTime > 0.05, "difference " + largestDifferenceFromOwnTime);
    }
}
