package io.seqcast.model;

/**
 * A step model that reads other inputs than the normalised values alone ({@link ModelInputs}, from its artifact's
 * metadata): {@link #inputs()} says which, everything else is the wrapped model's. The caller computes the inputs
 * ({@link ModelInputs#fill}) and keeps the previous values after the model's state.
 *
 * @param model the step model (a kernel)
 * @param inputs what it reads per feature
 */
public record WithInputs(SequenceModel model, ModelInputs inputs) implements WrappedModel {

    /** {@code model} reading {@code inputs}: itself when they are the values alone. */
    public static SequenceModel of(SequenceModel model, ModelInputs inputs) {
        return inputs == ModelInputs.VALUES ? model : new WithInputs(model, inputs);
    }

    @Override
    public SequenceModel copy() {
        return new WithInputs(model.copy(), inputs);
    }
}
