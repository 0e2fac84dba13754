package io.seqcast.training;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param network the network with the parameters of the epoch with the lowest validation loss
 * @param history one report per epoch run
 * @param bestEpoch 1-based epoch whose parameters {@code network} holds
 * @param bestValidationLoss validation MSE of {@code network}
 * @param naiveValidationLoss validation MSE of the naive forecast (the last value for every horizon step)
 * @param stoppedEarly true if training stopped because the validation loss stopped improving
 * @param warnings every warning emitted through {@link TrainingProgress#warning}
 */
public record TrainingResult(
        MultiLayerNetwork network,
        List<EpochReport> history,
        int bestEpoch,
        double bestValidationLoss,
        double naiveValidationLoss,
        boolean stoppedEarly,
        List<String> warnings) {

    public TrainingResult {
        history = List.copyOf(history);
        warnings = List.copyOf(warnings);
    }
}
