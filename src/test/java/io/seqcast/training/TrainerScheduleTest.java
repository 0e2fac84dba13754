package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelInputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer's learning-rate decay is per epoch, whatever the updates per epoch (truncated BPTT segments count as
 * updates), and a network reading values and differences has two inputs. Tiny network, two epochs.
 */
class TrainerScheduleTest {

    @Test
    void shouldMultiplyTheLearningRateByTheDecayPerEpochAndReadTwoInputs() {
        TrainingOptions options = new TrainingOptions(
                CellType.LSTM, List.of(4), 0, 0.01, 2, 4, 10, 0.2, 5, GradientClipping.globalNorm(1.0), 3);
        // 4 series of 60 steps: 48 train, in 5 segments of 10 steps: 5 updates per epoch
        TrainingResult result = new Trainer(options, OutputHead.MEDIAN, ModelInputs.VALUES_AND_DIFFERENCES, 0.5)
                .train(TrainerTest.noisySines(4, 60, 2), 2, TrainingProgress.silent());
        assertEquals(10, result.network().getIterationCount(), "updates");
        assertEquals(0.01 * 0.5 * 0.5, result.network().getLearningRate(0), 1e-9, "after two epochs");
        assertEquals(2, result.network().layerInputSize(0));
        assertThrows(
                IllegalArgumentException.class, () -> new Trainer(options, OutputHead.MEDIAN, ModelInputs.VALUES, 0));
    }
}
