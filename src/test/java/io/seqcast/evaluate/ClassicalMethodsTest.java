package io.seqcast.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassicalMethodsTest {

    @Test
    void shouldRecoverTheCoefficientsOfAKnownAr2Process() {
        Random random = new Random(7);
        double[] y = new double[4000];
        for (int t = 2; t < y.length; t++) {
            y[t] = 5 + 0.6 * y[t - 1] - 0.3 * y[t - 2] + random.nextGaussian();
        }
        Autoregression ar = Autoregression.fit(y, (int) (0.7 * y.length), 1, 3);
        double[] c = ar.coefficients();
        assertEquals(1, ar.lags()[0]);
        assertEquals(2, ar.lags()[1]);
        double sum = 0;
        for (int i = 1; i < c.length; i++) {
            sum += c[i];
        }
        assertEquals(5 / (1 - 0.6 + 0.3), c[0] / (1 - sum), 0.1, "the process mean, " + ar.describe());
        assertEquals(0.6, c[1], 0.05);
        assertEquals(-0.3, c[2], 0.05);
        for (int i = 3; i < c.length; i++) {
            assertEquals(0, c[i], 0.05, "lag " + ar.lags()[i - 1] + " is not in the process");
        }
    }

    @Test
    void shouldIterateMultiStepForecastsOnItsOwnForecasts() {
        Autoregression ar = new Autoregression(1, new int[] {1}, new double[] {1, 0.5});
        double[] out = new double[3];
        ar.forecastFrom(new double[] {0, 4}, 1, out);
        assertEquals(3, out[0], 1e-12); // 1 + 0.5 * 4
        assertEquals(2.5, out[1], 1e-12); // 1 + 0.5 * 3
        assertEquals(2.25, out[2], 1e-12);
    }

    @Test
    void shouldUseTheLagsOneSeasonBack() {
        assertEquals("[1, 2, 12, 13, 14]", java.util.Arrays.toString(Autoregression.lags(2, 12)));
        assertEquals("[1, 2, 3, 4, 5]", java.util.Arrays.toString(Autoregression.lags(3, 2)));
    }

    @Test
    void shouldBeatNaiveWithEtsOnASeasonalSeries() {
        Random random = new Random(11);
        int m = 24;
        double[] y = new double[40 * m];
        for (int t = 0; t < y.length; t++) {
            y[t] = 50
                    + 0.02 * t
                    + 10 * Math.sin(2 * Math.PI * t / m)
                    + 4 * Math.cos(4 * Math.PI * t / m)
                    + random.nextGaussian();
        }
        HoldoutProtocol p = HoldoutProtocol.of(y, 0.7, 6);
        ExponentialSmoothing ets = ExponentialSmoothing.fit(y, p.trainSize(), m);
        HoldoutProtocol.MethodScore etsScore = p.score(y, ets.forecasts(y, 6));
        HoldoutProtocol.MethodScore naive = p.score(y, Baselines.naive(y, 6));
        for (int h : new int[] {1, 6}) {
            assertTrue(
                    etsScore.at(h).mase() < 0.8 * naive.at(h).mase(),
                    "h=" + h + ": ETS " + etsScore.at(h).mase() + ", naive "
                            + naive.at(h).mase());
        }
        // noise of sd 1 is the floor: the expected absolute error of a perfect forecast is 0.80
        assertTrue(etsScore.at(1).mae() < 1.0, "ETS MAE " + etsScore.at(1).mae());
    }

    @Test
    void shouldFitEtsParametersOnTheHistoryOnly() {
        Random random = new Random(3);
        double[] y = new double[1000];
        for (int t = 1; t < y.length; t++) {
            y[t] = y[t - 1] + random.nextGaussian();
        }
        int trainSize = 700;
        ExponentialSmoothing before = ExponentialSmoothing.fit(y, trainSize, 1);
        for (int t = trainSize; t < y.length; t++) {
            y[t] = 1000 * Math.sin(t);
        }
        ExponentialSmoothing after = ExponentialSmoothing.fit(y, trainSize, 1);
        assertEquals(before.alpha(), after.alpha());
        assertEquals(before.beta(), after.beta());
        assertEquals(before.phi(), after.phi());
        // a random walk is best forecast by its last value: alpha near 1
        assertTrue(before.alpha() > 0.9, before.describe());
    }
}
