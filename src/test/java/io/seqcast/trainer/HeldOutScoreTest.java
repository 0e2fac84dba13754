package io.seqcast.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.SequenceModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Held-back scores are the engine's forecasts' errors; the drift ratio rises when a series leaves its regime. */
class HeldOutScoreTest {

    /** Forecasts the series' running mean (a normalised 0) at every step. */
    static final class MeanModel implements SequenceModel {
        final ModelInfo info = new ModelInfo("mean", "1", CellType.RNN, List.of(1), 1, 2);

        @Override
        public ModelInfo info() {
            return info;
        }

        @Override
        public int stateSize() {
            return 1;
        }

        @Override
        public void step(int batch, float[] inputs, float[] states, float[] outputs) {
            java.util.Arrays.fill(outputs, 0, batch * 2, 0f);
        }

        @Override
        public SequenceModel copy() {
            return this;
        }
    }

    @Test
    void shouldScoreOnlyTargetsInTheHeldBackStretch() {
        double[] values = new double[20];
        for (int i = 0; i < 10; i++) {
            values[i] = i % 2 == 0 ? 1 : -1; // mean 0, in-sample naive error 2
        }
        for (int i = 10; i < 20; i++) {
            values[i] = 5;
        }
        HeldOutScore s = HeldOutScore.of(new MeanModel(), values, 10, 2);
        assertEquals(20, s.forecasts(), "targets 10..19, each at step 1 and at step 2");
        assertEquals(2.0, s.scale(), 1e-12);
        assertTrue(s.mae() > 3, "the running mean lags the new level: " + s.mae());
    }

    @Test
    void shouldRaiseTheDriftRatioWhenTheNoiseGrows() {
        SplittableRandom r = new SplittableRandom(3);
        double[] calm = new double[1000];
        double[] stormy = new double[1000];
        for (int t = 0; t < 1000; t++) {
            double e = r.nextGaussian();
            calm[t] = 10 + e;
            stormy[t] = 10 + (t >= 900 ? 4 * e : e);
        }
        double calmRatio = HeldOutScore.driftRatio(new MeanModel(), calm, 100, 100);
        double stormyRatio = HeldOutScore.driftRatio(new MeanModel(), stormy, 100, 100);
        assertTrue(Math.abs(calmRatio - 1) < 0.2, "calm: " + calmRatio);
        assertTrue(stormyRatio > 2.5, "stormy: " + stormyRatio);
    }
}
