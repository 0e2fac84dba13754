package io.seqcast.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training epoch achieved.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss MSE on the training steps, evaluated after the epoch without dropout, averaged over outputs
 * @param validationLoss MSE on the validation steps, each series streamed from its start so the validation part sees
 *     its preceding context
 * @param fitScore mean DL4J score of the epoch's updates (MSE loss as DL4J computes it, with dropout)
 * @param gradientNorms mean L2 norm of each layer's gradient before clipping, by layer name, input layer first
 * @param clippedFraction fraction of the epoch's updates in which clipping changed each layer's gradient
 * @param improved true if the validation loss is the lowest so far
 */
public record EpochReport(
        int epoch,
        double trainLoss,
        double validationLoss,
        double fitScore,
        Map<String, Double> gradientNorms,
        Map<String, Double> clippedFraction,
        boolean improved) {

    public EpochReport {
        gradientNorms = Collections.unmodifiableMap(new LinkedHashMap<>(gradientNorms));
        clippedFraction = Collections.unmodifiableMap(new LinkedHashMap<>(clippedFraction));
    }
}
