package io.seqcast.training;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Training produced a non-finite loss or gradient and was stopped before the bad update was applied.
 *
 * <p>{@link #lastGood()} holds the best network so far: the parameters of the epoch with the lowest validation loss,
 * or, if no epoch finished, the parameters before the failing update.
 */
public class TrainingDivergedException extends RuntimeException {

    private final transient MultiLayerNetwork lastGood;
    private final transient List<EpochReport> history;

    public TrainingDivergedException(String message, MultiLayerNetwork lastGood, List<EpochReport> history) {
        super(message);
        this.lastGood = lastGood;
        this.history = List.copyOf(history);
    }

    /** The best parameters before training diverged. */
    public MultiLayerNetwork lastGood() {
        return lastGood;
    }

    /** Reports of the epochs that finished. */
    public List<EpochReport> history() {
        return history;
    }
}
