package io.seqcast.classify;

import io.seqcast.model.SequenceModel;
import io.seqcast.model.WrappedModel;
import java.util.List;

/** A classifier's step model with the names of its classes, in output order. */
public record LabelledModel(SequenceModel model, List<String> classes) implements WrappedModel {

    public LabelledModel {
        classes = List.copyOf(classes);
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
