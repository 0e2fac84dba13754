package io.seqcast.model;

import java.util.List;

/**
 * The per-series loop every step kernel shares: each series of a batch is advanced through the recurrent layers
 * from the input upwards, a layer's new {@code h} being the next layer's input, then through the dense output layer
 * (and softmax for a classifier), a block of up to 32 series one layer at a time ({@link #advanceBatch}). Subclasses
 * supply a layer's cell update ({@link #advance}), and may advance several series of a block together; state layout
 * as {@link SequenceModel} states it, each layer's slice {@link CellType#stateSize} floats. A series gives
 * bit-identical results alone or in a batch.
 *
 * <p>Not thread-safe when the subclass keeps scratch buffers (they all do): one {@link #copy()} per thread.
 */
public abstract class StepKernel implements SequenceModel {

    private final ModelInfo info;
    private final int stateSize;
    private final int inSize;
    private final int outSize;
    /** Floats of state of each layer. */
    private final int[] layerStates;
    /** {@code [outIn][outSize]} row-major. */
    private final float[] outW;

    private final float[] outB;
    private final boolean softmax;

    /**
     * @param info the network's shape; its hidden sizes give the layers
     * @param outW output layer weights, {@code [last hidden][outputSize]} row-major (shared, never written)
     * @param outB output layer bias (shared, never written)
     * @param softmax true for a linear then softmax output layer
     */
    protected StepKernel(ModelInfo info, float[] outW, float[] outB, boolean softmax) {
        this.info = info;
        this.stateSize = info.stateSize();
        this.inSize = info.inputSize();
        this.outSize = info.outputSize();
        List<Integer> hidden = info.hiddenSizes();
        this.layerStates = hidden.stream().mapToInt(info.cell()::stateSize).toArray();
        this.outW = outW;
        this.outB = outB;
        this.softmax = softmax;
        if (outB.length != outSize || outW.length != hidden.get(hidden.size() - 1) * outSize) {
            throw new IllegalArgumentException("output layer of " + outW.length + " weights and " + outB.length
                    + " biases does not fit " + hidden.get(hidden.size() - 1) + " units to " + outSize + " outputs");
        }
    }

    /**
     * Advances recurrent layer {@code layer} of one series by one step: reads its input at {@code x[xOff ..]} and
     * its state at {@code states[hOff ..]} (its {@code h} first), and overwrites the state.
     */
    protected abstract void advance(int layer, float[] x, int xOff, float[] states, int hOff);

    @Override
    public final ModelInfo info() {
        return info;
    }

    @Override
    public final int stateSize() {
        return stateSize;
    }

    /** Series advanced together through each layer before the next layer: their states stay in the L1/L2 cache. */
    private static final int BLOCK = 32;

    @Override
    public final void step(int batch, float[] inputs, float[] states, float[] outputs) {
        SequenceModel.checkStep(info, stateSize, batch, inputs, states, outputs);
        int[] sizes = layerStates;
        for (int s0 = 0; s0 < batch; s0 += BLOCK) {
            int count = Math.min(BLOCK, batch - s0);
            float[] x = inputs;
            int xOff = s0 * inSize;
            int xStride = inSize;
            int hOff = s0 * stateSize;
            for (int l = 0; l < sizes.length; l++) {
                advanceBatch(l, count, x, xOff, xStride, states, hOff, stateSize);
                x = states;
                xOff = hOff;
                xStride = stateSize;
                hOff += sizes[l];
            }
            for (int i = 0; i < count; i++) {
                output(x, xOff + i * stateSize, outputs, (s0 + i) * outSize);
            }
        }
    }

    /**
     * Advances recurrent layer {@code layer} of {@code count} series by one step, series {@code i} reading its input at
     * {@code x[xOff + i * xStride ..]} and its state at {@code states[hOff + i * hStride ..]}. Each series' result
     * must be bit for bit what {@link #advance} gives it alone (a series' arithmetic, summation order included, may
     * not depend on the others); the default calls {@link #advance} series by series.
     */
    protected void advanceBatch(
            int layer, int count, float[] x, int xOff, int xStride, float[] states, int hOff, int hStride) {
        for (int i = 0; i < count; i++) {
            advance(layer, x, xOff + i * xStride, states, hOff + i * hStride);
        }
    }

    /** {@code out = x W + b} (then softmax), {@code x} the top layer's new {@code h}. */
    private void output(float[] x, int xOff, float[] outputs, int outOff) {
        outputLayer(x, xOff, outputs, outOff);
        if (softmax) {
            softmax(outputs, outOff, outSize);
        }
    }

    /**
     * {@code out = x W + b} before any softmax: each output starts at its bias and adds {@code x[i] * W[i][j]}
     * (rounded product, then rounded sum) for {@code i} in order. An override must give the same bits.
     */
    protected void outputLayer(float[] x, int xOff, float[] outputs, int outOff) {
        float[] ow = outW;
        int size = outSize;
        System.arraycopy(outB, 0, outputs, outOff, size);
        int outIn = ow.length / size;
        for (int i = 0; i < outIn; i++) {
            float xi = x[xOff + i];
            int row = i * size;
            for (int j = 0; j < size; j++) {
                outputs[outOff + j] += xi * ow[row + j];
            }
        }
    }

    /** In place, shifted by the maximum for stability. */
    private static void softmax(float[] v, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, v[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
            double e = Math.exp(v[off + j] - max);
            v[off + j] = (float) e;
            sum += e;
        }
        for (int j = 0; j < len; j++) {
            v[off + j] = (float) (v[off + j] / sum);
        }
    }
}
