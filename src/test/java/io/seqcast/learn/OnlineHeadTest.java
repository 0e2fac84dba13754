package io.seqcast.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The online output layer learns a known linear rule, per step ahead, from a stream with noise and outliers. */
class OnlineHeadTest {

    @Test
    void shouldConvergeToAKnownLinearRuleForEveryStep() {
        int dims = 4;
        int horizon = 3;
        double[][] rule = {{0.5, -1.0, 2.0, 0.0}, {0.0, 0.3, -0.7, 1.5}, {-0.2, 0.0, 0.0, 0.9}};
        OnlineHead head = new OnlineHead(dims, 0.999, 1.0);
        HeadState h = head.initial(dims, 0, horizon, 0);
        Random random = new Random(7);
        double[] x = new double[dims];
        for (int n = 0; n < 5000; n++) {
            x[0] = 1;
            for (int i = 1; i < dims; i++) {
                x[i] = random.nextGaussian();
            }
            for (int k = 0; k < horizon; k++) {
                double target = 0;
                for (int i = 0; i < dims; i++) {
                    target += rule[k][i] * x[i];
                }
                target += 0.05 * random.nextGaussian();
                if (n % 97 == 0) {
                    target += 50; // an outlier now and then: clipped, it must not throw the weights off
                }
                head.learn(h, k, x, target, k == 0);
            }
        }
        for (int k = 0; k < horizon; k++) {
            for (int i = 0; i < dims; i++) {
                assertEquals(rule[k][i], h.weights[k * dims + i], 0.02, "step " + (k + 1) + " weight " + i);
            }
        }
    }

    @Test
    void shouldForecastNoChangeBeforeItHasLearnedAnything() {
        OnlineHead head = new OnlineHead(3, 0.99, 1.0);
        HeadState h = head.initial(3, 0, 2, 0);
        assertEquals(0.0, head.predict(h, 0, new double[] {1, 5, -3}));
        assertEquals(0.0, head.predict(h, 1, new double[] {1, 5, -3}));
    }

    @Test
    void shouldKeepItsCovarianceBoundedWhileAnInputIsIdle() {
        OnlineHead head = new OnlineHead(3, 0.99, 1.0);
        HeadState h = head.initial(3, 0, 1, 0);
        for (int n = 0; n < 100_000; n++) {
            head.learn(h, 0, new double[] {1, 0, 0}, 1.0, true); // inputs 1 and 2 never move: no wind-up
        }
        for (float v : h.covariance) {
            assertTrue(Float.isFinite(v) && Math.abs(v) <= 3.0, "covariance entry " + v);
        }
        assertEquals(1.0, head.predict(h, 0, new double[] {1, 0, 0}), 1e-3);
    }
}
