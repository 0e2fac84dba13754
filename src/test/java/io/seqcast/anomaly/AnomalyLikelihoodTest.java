package io.seqcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {

    /** Feeds residuals of {@code sigmas} and returns the score of the last one. */
    static AnomalyScore feed(Surprise s, double sigmas, double x) {
        double raw = AnomalyLikelihood.raw(sigmas);
        AnomalyScore score = AnomalyLikelihood.score(s, raw, sigmas);
        AnomalyLikelihood.update(s, raw);
        return score;
    }

    @Test
    void shouldRarelyCrossTheThresholdOnResidualsThatBehaveAsBefore() {
        Surprise s = new Surprise();
        Random r = new Random(1);
        int crossed = 0;
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            double score = feed(s, r.nextGaussian(), Math.sin(i / 10.0)).score();
            if (i > 2000 && score >= AnomalyScore.thresholdOf(0.001)) {
                crossed++;
            }
        }
        double rate = (double) crossed / (n - 2000);
        assertTrue(rate < 0.005, "false alert rate " + rate + " for a nominal 0.001");
    }

    @Test
    void shouldScoreABurstOfLargeResidualsHigh() {
        Surprise s = new Surprise();
        Random r = new Random(2);
        for (int i = 0; i < 3000; i++) {
            feed(s, r.nextGaussian(), Math.sin(i / 10.0));
        }
        double least = 1;
        for (int i = 0; i < 5; i++) {
            least = Math.min(least, feed(s, 6 + r.nextGaussian(), Math.sin(i / 10.0)).tail());
        }
        assertTrue(least < 0.001, "a burst of five 6-sigma residuals crosses the default false-alert rate: " + least);
    }

    @Test
    void shouldMapTheFalseAlertRateToAScoreThreshold() {
        assertEquals(0.03, AnomalyScore.thresholdOf(0.001), 1e-12);
        assertEquals(0.03, new AnomalyScore(0, 0.001).score(), 1e-12);
        assertEquals(1.0, new AnomalyScore(0, 1e-200).score());
    }
}
