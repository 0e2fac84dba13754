package io.seqcast.model;

/**
 * A step model that carries something beside another one and steps exactly as it does: every {@link SequenceModel}
 * method but {@link #copy()} is the wrapped model's, unless the wrapper says otherwise.
 */
public interface WrappedModel extends SequenceModel {

    /** The model that steps. */
    SequenceModel model();

    @Override
    default ModelInfo info() {
        return model().info();
    }

    @Override
    default int stateSize() {
        return model().stateSize();
    }

    @Override
    default ModelInputs inputs() {
        return model().inputs();
    }

    @Override
    default void step(int batch, float[] inputs, float[] states, float[] outputs) {
        model().step(batch, inputs, states, outputs);
    }
}
