package io.seqcast.classify;

import io.seqcast.model.ModelInfo;
import io.seqcast.model.SequenceModel;
import java.util.List;

/** A classifier's step model with the names of its classes, in output order. */
public record LabelledModel(SequenceModel model, List<String> classes) implements SequenceModel {

    public LabelledModel {
        classes = List.copyOf(classes);
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public int stateSize() {
        return model.stateSize();
    }

    @Override
    public void step(int batch, float[] inputs, float[] states, float[] outputs) {
        model.step(batch, inputs, states, outputs);
    }

    @Override
    public SequenceModel copy() {
        return new LabelledModel(model.copy(), classes);
    }

    /** The class names of {@code model}, or "0", "1", ... when it carries none. */
    public static List<String> classesOf(SequenceModel model) {
        if (model instanceof LabelledModel labelled) {
            return labelled.classes();
        }
        return java.util.stream.IntStream.range(0, model.info().outputSize())
                .mapToObj(Integer::toString)
                .toList();
    }
}
