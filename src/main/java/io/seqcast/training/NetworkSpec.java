package io.seqcast.training;

import io.seqcast.model.CellType;
import io.seqcast.model.SequenceShape;
import java.util.List;

/**
 * Everything needed to build an untrained recurrent regression network.
 *
 * @param cell recurrent cell of every layer
 * @param hiddenSizes hidden units of each recurrent layer, from the input upwards; at least one
 * @param inputSize features per time step
 * @param outputSize outputs per time step
 * @param dropout probability of dropping an input of each layer above the first during training, in {@code [0, 1)};
 *     0 disables dropout. The raw input is never dropped.
 * @param learningRate Adam learning rate
 * @param clipping gradient bound applied before each update
 * @param tbpttLength truncated backpropagation-through-time segment length (forward and backward), or 0 for full
 *     backpropagation through the whole sequence
 * @param seed seed of the weight initialisation and of dropout
 * @param shape how input steps map to output steps
 * @param head regression (identity, MSE) or classification (softmax, cross-entropy; {@code outputSize} classes)
 * @param outputSteps output steps {@code M} of {@link SequenceShape#ENCODER_DECODER} and
 *     {@link SequenceShape#ONE_TO_MANY}; 1 for the other shapes. For encoder-decoder, {@code hiddenSizes} is the
 *     encoder stack and the decoder stack mirrors it.
 */
public record NetworkSpec(
        CellType cell,
        List<Integer> hiddenSizes,
        int inputSize,
        int outputSize,
        double dropout,
        double learningRate,
        GradientClipping clipping,
        int tbpttLength,
        long seed,
        SequenceShape shape,
        OutputHead head,
        int outputSteps) {

    /** A many-to-many regression spec, as before shapes existed. */
    public NetworkSpec(
            CellType cell,
            List<Integer> hiddenSizes,
            int inputSize,
            int outputSize,
            double dropout,
            double learningRate,
            GradientClipping clipping,
            int tbpttLength,
            long seed) {
        this(
                cell,
                hiddenSizes,
                inputSize,
                outputSize,
                dropout,
                learningRate,
                clipping,
                tbpttLength,
                seed,
                SequenceShape.MANY_TO_MANY,
                OutputHead.REGRESSION,
                1);
    }

    public NetworkSpec {
        if (shape == null) {
            shape = SequenceShape.MANY_TO_MANY;
        }
        if (head == null) {
            head = OutputHead.REGRESSION;
        }
        if (outputSteps < 1 || (shape.steppable() && outputSteps != 1)) {
            throw new IllegalArgumentException("output steps must be 1 for " + shape + " and at least 1 for "
                    + "encoder-decoder and one-to-many, got " + outputSteps);
        }
        if (head == OutputHead.CLASSIFICATION && outputSize < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + outputSize);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException(
                    "hidden sizes must be one or more positive layer widths, got " + hiddenSizes);
        }
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException(
                    "input and output sizes must be positive, got input " + inputSize + ", output " + outputSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (tbpttLength < 0) {
            throw new IllegalArgumentException(
                    "truncated BPTT length must be 0 (full BPTT) or positive, got " + tbpttLength);
        }
        if (clipping == null) {
            clipping = GradientClipping.defaults();
        }
    }

    /** A spec with defaults: no dropout, learning rate 1e-3, {@link GradientClipping#defaults()}, full BPTT. */
    public static NetworkSpec of(CellType cell, List<Integer> hiddenSizes, int inputSize, int outputSize, long seed) {
        return new NetworkSpec(cell, hiddenSizes, inputSize, outputSize, 0, 1e-3, GradientClipping.defaults(), 0, seed);
    }

    /** This spec with another shape, head and output steps. */
    public NetworkSpec withShape(SequenceShape newShape, OutputHead newHead, int newOutputSteps) {
        return new NetworkSpec(
                cell,
                hiddenSizes,
                inputSize,
                outputSize,
                dropout,
                learningRate,
                clipping,
                tbpttLength,
                seed,
                newShape,
                newHead,
                newOutputSteps);
    }
}
