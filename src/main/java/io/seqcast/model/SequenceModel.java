package io.seqcast.model;

/**
 * A trained recurrent network reduced to what the streaming engine needs: advance many independent series by one
 * time step in one call.
 *
 * <p>The hidden state of a series is a flat {@code float[stateSize()]} owned by the caller (the engine keeps it per
 * key in a state store). Layout, per layer from the input upwards: {@code h} (hiddenSize floats), then for LSTM
 * {@code c} (hiddenSize floats). An all-zero state is the initial state, as in the network's own training.
 *
 * <p>Implementations are not thread-safe unless they say so; the engine gives each stream thread its own instance
 * through {@link #copy()}.
 */
public interface SequenceModel {

    /** What the network is: cell, layers, input and output sizes, name and version. */
    ModelInfo info();

    /** Floats of hidden state per series. */
    int stateSize();

    /**
     * What the model reads per feature at every step ({@link ModelInputs}): the normalised values, or the values and
     * their first differences; recorded in the artifact's metadata. {@link ModelInputs#VALUES} unless the model says
     * otherwise.
     */
    default ModelInputs inputs() {
        return ModelInputs.VALUES;
    }

    /**
     * Advances {@code batch} series by one step.
     *
     * @param batch number of series in this call
     * @param inputs {@code batch * info().inputSize()} floats, series after series
     * @param states {@code batch * stateSize()} floats, series after series; read and overwritten with the new state
     * @param outputs {@code batch * info().outputSize()} floats, written: the network's output at this step
     */
    void step(int batch, float[] inputs, float[] states, float[] outputs);

    /** An independent instance sharing the (immutable) weights, for use by another thread. */
    SequenceModel copy();

    /**
     * Checks the arguments of {@link #step} for a model of {@code info} and {@code stateSize}: implementations call
     * it first, so that a wrong buffer fails with the sizes rather than an index out of bounds mid-batch.
     */
    static void checkStep(ModelInfo info, int stateSize, int batch, float[] inputs, float[] states, float[] outputs) {
        int inSize = info.inputSize();
        int outSize = info.outputSize();
        if (batch < 0
                || inputs.length < batch * inSize
                || states.length < batch * stateSize
                || outputs.length < batch * outSize) {
            throw new IllegalArgumentException("step of " + batch + " series needs inputs >= " + batch * inSize
                    + ", states >= " + batch * stateSize + ", outputs >= " + batch * outSize + " floats; got "
                    + inputs.length + ", " + states.length + ", " + outputs.length);
        }
    }
}
