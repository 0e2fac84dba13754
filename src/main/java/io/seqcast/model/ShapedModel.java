package io.seqcast.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a network of any {@link SequenceShape} over whole input sequences with DL4J (every shape; the step kernel runs
 * only the steppable ones). Thread-safe: calls are serialised, as DL4J networks are not thread-safe.
 */
public final class ShapedModel {

    private final MultiLayerNetwork network;
    private final SequenceShape shape;

    public ShapedModel(MultiLayerNetwork network, SequenceShape shape) {
        this.network = network;
        this.shape = shape;
    }

    public SequenceShape shape() {
        return shape;
    }

    /**
     * Predicts for one input ({@code [steps][features]}; one step for one-to-many).
     *
     * @return {@code [output steps][outputs]}: one step for many-to-one (the output after the last input step), one
     *     per input step for many-to-many, {@code M} for encoder-decoder and one-to-many
     */
    public float[][] predict(float[][] input) {
        return predict(java.util.Collections.singletonList(input)).get(0);
    }

    /** Predicts for inputs of equal shape, in one batch. */
    public synchronized List<float[][]> predict(List<float[][]> inputs) {
        INDArray out = network.output(features(shape, inputs), false); // [b, outputs, steps]
        int b = inputs.size();
        int outputs = (int) out.size(1);
        int steps = (int) out.size(2);
        float[] flat = out.castTo(DataType.FLOAT).dup('c').data().asFloat();
        List<float[][]> result = new ArrayList<>(b);
        for (int e = 0; e < b; e++) {
            int first = shape == SequenceShape.MANY_TO_ONE ? steps - 1 : 0;
            float[][] y = new float[steps - first][outputs];
            for (int t = first; t < steps; t++) {
                for (int k = 0; k < outputs; k++) {
                    y[t - first][k] = flat[(e * outputs + k) * steps + t];
                }
            }
            result.add(y);
        }
        return result;
    }

    /** Network input for these examples: {@code [b, features, steps]}, or {@code [b, features]} for one-to-many. */
    public static INDArray features(SequenceShape shape, List<float[][]> inputs) {
        int b = inputs.size();
        int steps = inputs.get(0).length;
        int features = inputs.get(0)[0].length;
        if (shape == SequenceShape.ONE_TO_MANY) {
            float[] flat = new float[b * features];
            for (int e = 0; e < b; e++) {
                System.arraycopy(inputs.get(e)[0], 0, flat, e * features, features);
            }
            return Nd4j.create(flat, new long[] {b, features}, 'c');
        }
        float[] flat = new float[b * features * steps];
        for (int e = 0; e < b; e++) {
            float[][] x = inputs.get(e);
            for (int t = 0; t < steps; t++) {
                for (int f = 0; f < features; f++) {
                    flat[(e * features + f) * steps + t] = x[t][f];
                }
            }
        }
        return Nd4j.create(flat, new long[] {b, features, steps}, 'c');
    }
}
