package io.seqcast.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a network maps input steps to output steps. The {@link #id()} is what model metadata, pipeline files and
 * {@code seqcast train --shape} use.
 */
public enum SequenceShape {
    /**
     * A window of {@code T} steps in, one output out (the next value(s), or a class through softmax). Built as the
     * recurrent stack with a per-step output layer whose loss is masked to the last step, so the step kernel runs it:
     * the prediction is the output after the window's last step, from the zero state.
     */
    MANY_TO_ONE("many-to-one"),
    /** An output at every input step; the engine's stateful mode. */
    MANY_TO_MANY("many-to-many"),
    /**
     * {@code N} steps in, {@code M} steps out: an encoder stack reads the input, its last hidden output (the context)
     * is repeated as the input of every step of a decoder stack, which emits the {@code M} outputs.
     */
    ENCODER_DECODER("encoder-decoder"),
    /** One input vector in, {@code M} output steps out: the vector is repeated as the input of every decoder step. */
    ONE_TO_MANY("one-to-many");

    private final String id;

    SequenceShape(String id) {
        this.id = id;
    }

    /** The name used in metadata and configuration, e.g. {@code many-to-one}. */
    public String id() {
        return id;
    }

    /** True if the step kernel ({@link KernelModel}) can run a network of this shape. */
    public boolean steppable() {
        return this == MANY_TO_ONE || this == MANY_TO_MANY;
    }

    /**
     * The shape named {@code id} (case-insensitive; the enum constant name is accepted too).
     *
     * @throws IllegalArgumentException naming the known shapes
     */
    public static SequenceShape of(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (SequenceShape s : values()) {
            if (s.id.equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sequence shape '" + id + "'; use one of "
                + Arrays.stream(values()).map(SequenceShape::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
