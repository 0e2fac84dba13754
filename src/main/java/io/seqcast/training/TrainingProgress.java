package io.seqcast.training;

/**
 * Receives training progress as it happens (the CLI renders it as a progress bar). Called on the training thread;
 * implementations should return quickly. Every method does nothing by default.
 */
public interface TrainingProgress {

    /**
     * One parameter update done.
     *
     * @param epoch 1-based epoch
     * @param iteration 1-based update within the epoch
     * @param iterationsPerEpoch updates per epoch (minibatches times truncated-BPTT segments)
     * @param score DL4J's loss for this update
     */
    default void iteration(int epoch, int iteration, int iterationsPerEpoch, double score) {}

    /** An epoch finished and was evaluated. */
    default void epochDone(EpochReport report) {}

    /** Something looks wrong with training (exploding or vanishing gradients); the message names the layer. */
    default void warning(String message) {}

    /** A listener that ignores everything. */
    static TrainingProgress silent() {
        return new TrainingProgress() {};
    }
}
