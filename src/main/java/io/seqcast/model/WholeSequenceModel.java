package io.seqcast.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A forecaster of a shape the step kernel does not step (encoder-decoder, one-to-many), served by running its network
 * once over a whole input: the last {@link #inputSteps()} normalised observations in, {@link #outputSteps()} steps of
 * every feature out. The engine's windowed mode runs it once per window run ({@code window.stride}), with DL4J.
 *
 * <p>{@link #info()}'s {@code outputSize} is the flattened output, {@code outputSteps x outputs per step}, step-major,
 * the layout of a many-to-one forecaster's output, so that the engine reads both the same way. There is no per-series
 * hidden state ({@link #stateSize()} is 0) and {@link #step} is refused.
 *
 * <p>Not thread-safe; {@link #copy()} gives another thread its own network (DL4J networks are not thread-safe).
 */
public final class WholeSequenceModel implements SequenceModel {

    private final MultiLayerNetwork network;
    private final ShapedModel shaped;
    private final ModelInfo info;
    private final int inputSteps;
    private final int outputSteps;
    private final int outputsPerStep;

    private WholeSequenceModel(
            MultiLayerNetwork network,
            SequenceShape shape,
            ModelInfo info,
            int inputSteps,
            int outputSteps,
            int outputsPerStep) {
        this.network = network;
        this.shaped = new ShapedModel(network, shape);
        this.info = info;
        this.inputSteps = inputSteps;
        this.outputSteps = outputSteps;
        this.outputsPerStep = outputsPerStep;
    }

    /**
     * The served form of an encoder-decoder or one-to-many forecaster.
     *
     * @throws IllegalArgumentException for another shape or task, or an encoder-decoder model without a window
     */
    public static WholeSequenceModel of(ModelArtifact artifact) {
        ModelMetadata m = artifact.metadata();
        SequenceShape shape = m.sequenceShape();
        if (shape.steppable() || !ModelMetadata.FORECAST.equals(m.task())) {
            throw new IllegalArgumentException("model " + m.name() + " " + m.version() + " is a " + shape + " "
                    + m.task() + " model; only encoder-decoder and one-to-many forecasters run as whole sequences");
        }
        int inputSteps = shape == SequenceShape.ONE_TO_MANY ? 1 : m.window();
        if (inputSteps < 1) {
            throw new IllegalArgumentException("model " + m.name() + " " + m.version() + " is encoder-decoder but"
                    + " names no window; train it with seqcast train --shape encoder-decoder --window W");
        }
        ModelInfo described = NetworkLayout.describe(artifact.network(), m.name(), m.version());
        ModelInfo info = new ModelInfo(
                m.name(),
                m.version(),
                described.cell(),
                described.hiddenSizes(),
                described.inputSize(),
                m.outputSteps() * described.outputSize());
        return new WholeSequenceModel(
                artifact.network().clone(), shape, info, inputSteps, m.outputSteps(), described.outputSize());
    }

    /** Observations of input: the window length, 1 for one-to-many. */
    public int inputSteps() {
        return inputSteps;
    }

    /** Steps of output. */
    public int outputSteps() {
        return outputSteps;
    }

    /** The network's shape. */
    public SequenceShape shape() {
        return shaped.shape();
    }

    /**
     * Runs the network over one input.
     *
     * @param inputs {@code inputSteps x inputSize} normalised values, oldest step first, step-major
     * @param outputs written: {@code outputSteps x outputs per step} normalised values, step-major
     */
    public void run(float[] inputs, float[] outputs) {
        int features = info.inputSize();
        float[][] x = new float[inputSteps][features];
        for (int t = 0; t < inputSteps; t++) {
            System.arraycopy(inputs, t * features, x[t], 0, features);
        }
        float[][] y = shaped.predict(x);
        for (int t = 0; t < outputSteps; t++) {
            System.arraycopy(y[t], 0, outputs, t * outputsPerStep, outputsPerStep);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int stateSize() {
        return 0;
    }

    /** Refused: this model has no step; the engine calls {@link #run}. */
    @Override
    public void step(int batch, float[] inputs, float[] states, float[] outputs) {
        throw new UnsupportedOperationException("model " + info.name() + " " + info.version() + " is " + shape()
                + ": it runs over whole windows (run), not step by step");
    }

    @Override
    public SequenceModel copy() {
        return new WholeSequenceModel(network.clone(), shape(), info, inputSteps, outputSteps, outputsPerStep);
    }

    /** The batch form of {@link #run}, for offline use. */
    public List<float[]> run(List<float[]> inputs) {
        List<float[]> out = new ArrayList<>(inputs.size());
        for (float[] in : inputs) {
            float[] y = new float[info.outputSize()];
            run(in, y);
            out.add(y);
        }
        return out;
    }
}
