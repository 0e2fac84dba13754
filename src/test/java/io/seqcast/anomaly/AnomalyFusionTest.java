package io.seqcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnomalyFusionTest {

    static AnomalyScore residual(double surprise, double alertLevel) {
        return AnomalyFusion.fuse(0, Novelty.Finding.NONE, new AnomalyLikelihood.Verdict(surprise, alertLevel), 0.001);
    }

    @Test
    void shouldPublishTheLikelihoodInWholeOrdersSoThatAThresholdCannotLandBetweenGradedValues() {
        // NAB's optimal threshold once moved from 8.64 to 8.80 orders between halves of the files (graded, then)
        assertEquals(residual(7.64, 100).score(), residual(7.80, 100).score(), 0);
        assertEquals(0.07, residual(7.99, 100).score(), 1e-12);
        assertEquals(0.05, residual(5.0, 100).score(), 1e-12);
        assertTrue(residual(6.0, 100).score() > residual(5.99, 100).score(), "whole orders still rank");
    }

    @Test
    void shouldCapTheLikelihoodBelowNoveltysRange() {
        assertEquals(
                AnomalyFusion.LIKELIHOOD_CAP / AnomalyScore.SCALE,
                residual(40, 100).score(),
                1e-12);
        var level = AnomalyFusion.fuse(
                0, new Novelty.Finding(12.5, AnomalyKind.LEVEL), new AnomalyLikelihood.Verdict(300, 100), 0.001);
        assertEquals(AnomalyKind.LEVEL, level.kind(), "a level never seen outranks any residual burst");
        assertEquals(0.125, level.score(), 1e-12);
    }

    @Test
    void shouldKeepAnySurprisePositiveAndAnAlarmingResidualAtOrAboveItsThreshold() {
        assertEquals(0.004, residual(0.4, 100).score(), 1e-12, "below one order: graded, not rounded to 0");
        for (double level : new double[] {0.3, 1.0, 2.7, 3.3, 7.5, 9.0}) {
            for (double surprise : new double[] {level, level + 0.05, level + 0.6, level + 3}) {
                AnomalyScore s = residual(surprise, level);
                assertTrue(s.alarming(), surprise + " at level " + level);
                assertEquals(AnomalyKind.RESIDUAL, s.kind());
                assertTrue(
                        s.score() >= s.threshold() && s.score() > 0,
                        "score " + s.score() + " below its threshold " + s.threshold() + " at level " + level);
            }
        }
    }
}
