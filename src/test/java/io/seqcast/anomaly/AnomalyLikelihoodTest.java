package io.seqcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import io.seqcast.testing.TestPipelines;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {

    static final ModelRef MODEL = new ModelRef("m", "1");

    /** Student's t with 3 degrees of freedom: heavy tails (finite variance, no fourth moment). */
    static double studentT3(Random r) {
        double chi = 0;
        for (int i = 0; i < 3; i++) {
            double g = r.nextGaussian();
            chi += g * g;
        }
        return r.nextGaussian() / Math.sqrt(chi / 3);
    }

    /**
     * Alert openings per observation when the residuals are {@code noise} (a series without anomalies), through the
     * likelihood, the fusion and the alert lifecycle (resolve after 6 normal observations), after a warm-up.
     */
    static double openingRate(DoubleSupplier noise, double rate, int n) {
        var settings = TestPipelines.anomaly(rate, rate / 100, 0, 6);
        AlertTracker tracker = new AlertTracker("p", settings);
        AlertState alert = new AlertState();
        LikelihoodState s = new LikelihoodState();
        ForecastStep expected = new ForecastStep(1, 0, 0, -1, 1);
        int warmup = 2_000;
        int openings = 0;
        for (int i = 0; i < warmup + n; i++) {
            double e = noise.getAsDouble();
            AnomalyScore score =
                    AnomalyFusion.fuse(e, Novelty.Finding.NONE, AnomalyLikelihood.observe(s, e, rate), rate);
            AnomalyAlert a = tracker.observe(alert, "s", i, e, expected, score, i < warmup, MODEL, Map.of());
            if (a != null && a.lifecycle() == AnomalyAlert.Lifecycle.OPENED) {
                openings++;
            }
        }
        return (double) openings / n;
    }

    @Test
    void shouldOpenAlertsAtAboutTheFalseAlertRateOnGaussianAndHeavyTailedNoise() {
        for (double rate : new double[] {0.01, 0.001, 0.0003}) {
            // the level calibrates from -log10(rate) down in the long run: at 0.0003 that takes ~100k observations of
            // Gaussian residuals (the ramp starting at 3 RMS residuals); measured over 240 expected openings
            int n = (int) Math.max(200_000, 240 / rate);
            Random g = new Random(11);
            Random t = new Random(12);
            double gaussian = openingRate(g::nextGaussian, rate, n);
            double heavy = openingRate(() -> studentT3(t), rate, n);
            for (double measured : new double[] {gaussian, heavy}) {
                assertTrue(
                        measured > rate / 2 && measured < rate * 2,
                        "alert openings per observation " + measured + " for a false-alert rate of " + rate
                                + " (Gaussian " + gaussian + ", Student t3 " + heavy + ")");
            }
        }
    }

    @Test
    void shouldScoreABurstOfLargeResidualsHighAndReportItOnce() {
        LikelihoodState s = new LikelihoodState();
        Random r = new Random(2);
        for (int i = 0; i < 3000; i++) {
            AnomalyLikelihood.observe(s, r.nextGaussian(), 0.001);
        }
        var first = AnomalyLikelihood.observe(s, 12, 0.001);
        assertTrue(first.surprise() >= AnomalyLikelihood.RED, "one 12-sigma residual is red: " + first);
        assertTrue(first.alarming(), "and opens an alert: " + first);
        var second = AnomalyLikelihood.observe(s, 12, 0.001);
        assertEquals(
                AnomalyLikelihood.YELLOW,
                second.surprise(),
                1e-12,
                "the next red observation of the episode is lowered to yellow");
        for (int i = 0; i < 200; i++) {
            AnomalyLikelihood.observe(s, r.nextGaussian(), 0.001);
        }
        double quiet = AnomalyLikelihood.observe(s, r.nextGaussian(), 0.001).surprise();
        assertTrue(quiet < 1, "ordinary residuals after the episode are not surprising: " + quiet);
    }

    @Test
    void shouldNotAlarmOnAnAlwaysNoisySeriesWhoseNoiseDoesNotChange() {
        LikelihoodState s = new LikelihoodState();
        Random r = new Random(3);
        double most = 0;
        for (int i = 0; i < 20_000; i++) {
            double surprise =
                    AnomalyLikelihood.observe(s, 1000 * r.nextGaussian(), 0.001).surprise();
            most = Math.max(most, surprise);
        }
        assertTrue(
                most < AnomalyFusion.LIKELIHOOD_CAP,
                "Gaussian residuals of any scale never reach the novelty range: " + most);
    }

    @Test
    void shouldRankLargerBurstsHigherWithoutSaturating() {
        double previous = 0;
        for (double sigmas : new double[] {4, 5, 6, 7}) {
            LikelihoodState s = new LikelihoodState();
            Random r = new Random(4);
            for (int i = 0; i < 1000; i++) {
                AnomalyLikelihood.observe(s, r.nextGaussian(), 0.001);
            }
            double surprise = AnomalyLikelihood.observe(s, sigmas, 0.001).surprise();
            assertTrue(surprise > previous, sigmas + " sigmas: " + surprise + " after " + previous);
            previous = surprise;
        }
    }

    @Test
    void shouldMapTheFalseAlertRateToAScoreThreshold() {
        assertEquals(0.03, AnomalyScore.thresholdOf(0.001), 1e-12);
        assertEquals(0.03, new AnomalyScore(0, 0.001).score(), 1e-12);
        assertEquals(1.0, new AnomalyScore(0, 1e-200).score());
    }
}
