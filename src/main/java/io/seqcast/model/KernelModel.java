package io.seqcast.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link SequenceModel} that runs a trained network's weights in plain Java, one time step at a time, with no ND4J
 * on the hot path.
 *
 * <p>The weights are copied out of a DL4J network built by {@code io.seqcast.training.Networks} (see {@link #fromNetwork}) into flat
 * row-major {@code float[]} arrays and never change afterwards; instances made by {@link #copy()} share them and own
 * only scratch buffers. The arithmetic is done in float, so outputs agree with DL4J's within float rounding (about
 * 1e-6), not bit for bit; a series gives bit-identical results whether it is stepped alone or in a batch.
 *
 * <p>Cell equations, with {@code x} the layer input, {@code h}, {@code c} the previous state, {@code W}, {@code RW},
 * {@code b} the layer's parameters and {@code [k]} the k-th block of {@code n} columns:
 *
 * <ul>
 *   <li>RNN: {@code h' = tanh(xW + hRW + b)}
 *   <li>LSTM (DL4J's column order inside the {@code 4n} block: cell input, forget, output, input gate): {@code
 *       z = xW + hRW + b; a = tanh(z[0]); f = σ(z[1]); o = σ(z[2]); i = σ(z[3]); c' = f⊙c + i⊙a; h' = o⊙tanh(c')}
 *   <li>GRU ({@link GruLayer}; blocks reset, update, candidate): {@code r = σ(xW[0] + hRW[0] + b[0]); u = σ(xW[1] +
 *       hRW[1] + b[1]); c = tanh(xW[2] + (r⊙h)RW[2] + b[2]); h' = u⊙h + (1-u)⊙c}
 * </ul>
 *
 * <p>The output layer is linear, or linear then softmax for a classifier (then the outputs are class probabilities).
 *
 * <p>Not thread-safe: give each thread its own {@link #copy()}.
 */
public final class KernelModel implements SequenceModel {

    /** One recurrent layer: {@code w} is {@code [nIn][gates*n]}, {@code rw} is {@code [n][gates*n]}, row-major. */
    private record RecurrentWeights(int nIn, int n, int gates, float[] w, float[] rw, float[] b) {}

    /** Immutable after construction; shared between copies. */
    private record Weights(
            List<RecurrentWeights> layers, int outIn, int outSize, float[] outW, float[] outB, boolean softmax) {}

    private final ModelInfo info;
    private final Weights weights;
    private final int stateSize;
    /** Pre-activations of the widest layer. */
    private final float[] z;
    /** {@code r⊙h} of a GRU layer, as wide as the widest layer. */
    private final float[] gruScratch;

    private KernelModel(ModelInfo info, Weights weights) {
        this.info = info;
        this.weights = weights;
        this.stateSize = info.stateSize();
        int widest = 0;
        int widestN = 0;
        for (RecurrentWeights l : weights.layers()) {
            widest = Math.max(widest, l.gates() * l.n());
            widestN = Math.max(widestN, l.n());
        }
        this.z = new float[widest];
        this.gruScratch = new float[widestN];
    }

    /**
     * Copies the weights of {@code net} into a kernel.
     *
     * @param net a network laid out as {@code io.seqcast.training.Networks} builds it: recurrent layers of one cell type, then an
     *     identity or softmax {@code RnnOutputLayer}
     * @throws IllegalArgumentException naming the layer if the network has another layout or activation
     */
    public static KernelModel fromNetwork(MultiLayerNetwork net, String name, String version) {
        int layerCount = net.getnLayers();
        if (layerCount < 2) {
            throw new IllegalArgumentException("network has " + layerCount
                    + " layers; expected at least one recurrent layer and an RnnOutputLayer (build it with Networks)");
        }
        CellType cell = null;
        List<RecurrentWeights> layers = new ArrayList<>();
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < layerCount - 1; i++) {
            Layer layer = net.getLayer(i);
            CellType layerCell = cellOf(i, layer.conf().getLayer());
            if (cell != null && cell != layerCell) {
                throw new IllegalArgumentException("layer " + i + " is " + layerCell + " but layer 0 is " + cell
                        + "; a kernel model needs one cell type in every recurrent layer");
            }
            cell = layerCell;
            RecurrentWeights w = recurrentWeights(i, layer, gatesOf(layerCell));
            if (!layers.isEmpty() && layers.get(layers.size() - 1).n() != w.nIn()) {
                throw new IllegalArgumentException("layer " + i + " takes " + w.nIn() + " inputs but layer " + (i - 1)
                        + " gives " + layers.get(layers.size() - 1).n());
            }
            layers.add(w);
            hidden.add(w.n());
        }
        int outIndex = layerCount - 1;
        Layer out = net.getLayer(outIndex);
        if (!(out.conf().getLayer() instanceof RnnOutputLayer ol)) {
            throw new IllegalArgumentException("layer " + outIndex + " is "
                    + out.conf().getLayer().getClass().getSimpleName() + "; expected an RnnOutputLayer");
        }
        boolean softmax = ol.getActivationFn() instanceof ActivationSoftmax;
        if (!softmax) {
            requireActivation(outIndex, "activation", ol.getActivationFn(), ActivationIdentity.class);
        }
        INDArray ow = param(outIndex, out, "W");
        INDArray ob = param(outIndex, out, "b");
        int outIn = (int) ow.size(0);
        int outSize = (int) ow.size(1);
        int lastHidden = hidden.get(hidden.size() - 1);
        if (outIn != lastHidden || ob.length() != outSize) {
            throw new IllegalArgumentException("output layer " + outIndex + " has W " + shape(ow) + " and b "
                    + shape(ob) + "; expected W [" + lastHidden + ", nOut] and b of nOut");
        }
        Weights weights = new Weights(List.copyOf(layers), outIn, outSize, flat(ow), flat(ob), softmax);
        ModelInfo info =
                new ModelInfo(name, version, cell, hidden, layers.get(0).nIn(), outSize);
        return new KernelModel(info, weights);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int stateSize() {
        return stateSize;
    }

    @Override
    public void step(int batch, float[] inputs, float[] states, float[] outputs) {
        int inSize = info.inputSize();
        int outSize = weights.outSize();
        SequenceModel.checkStep(info, stateSize, batch, inputs, states, outputs);
        boolean lstm = info.cell() == CellType.LSTM;
        boolean gru = info.cell() == CellType.GRU;
        for (int s = 0; s < batch; s++) {
            float[] x = inputs;
            int xOff = s * inSize;
            int stateOff = s * stateSize;
            for (RecurrentWeights l : weights.layers()) {
                int n = l.n();
                if (gru) {
                    gruUpdate(l, x, xOff, states, stateOff);
                    x = states;
                    xOff = stateOff;
                    stateOff += n;
                    continue;
                }
                preActivation(l, x, xOff, states, stateOff);
                if (lstm) {
                    lstmUpdate(n, states, stateOff);
                    x = states;
                    xOff = stateOff;
                    stateOff += 2 * n;
                } else {
                    for (int j = 0; j < n; j++) {
                        states[stateOff + j] = (float) Math.tanh(z[j]);
                    }
                    x = states;
                    xOff = stateOff;
                    stateOff += n;
                }
            }
            int oOff = s * outSize;
            System.arraycopy(weights.outB(), 0, outputs, oOff, outSize);
            float[] ow = weights.outW();
            for (int i = 0; i < weights.outIn(); i++) {
                float xi = x[xOff + i];
                int row = i * outSize;
                for (int j = 0; j < outSize; j++) {
                    outputs[oOff + j] += xi * ow[row + j];
                }
            }
            if (weights.softmax()) {
                softmax(outputs, oOff, outSize);
            }
        }
    }

    /** {@code z = x W + h RW + b}, with {@code h} at {@code states[hOff..]}; inner loops run over contiguous columns. */
    private void preActivation(RecurrentWeights l, float[] x, int xOff, float[] states, int hOff) {
        int cols = l.gates() * l.n();
        float[] zz = z;
        System.arraycopy(l.b(), 0, zz, 0, cols);
        float[] w = l.w();
        for (int i = 0; i < l.nIn(); i++) {
            float xi = x[xOff + i];
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                zz[j] += xi * w[row + j];
            }
        }
        float[] rw = l.rw();
        for (int i = 0; i < l.n(); i++) {
            float hi = states[hOff + i];
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                zz[j] += hi * rw[row + j];
            }
        }
    }

    private void lstmUpdate(int n, float[] states, int hOff) {
        int cOff = hOff + n;
        for (int j = 0; j < n; j++) {
            float a = (float) Math.tanh(z[j]);
            float f = sigmoid(z[n + j]);
            float o = sigmoid(z[2 * n + j]);
            float in = sigmoid(z[3 * n + j]);
            float c = f * states[cOff + j] + in * a;
            states[cOff + j] = c;
            states[hOff + j] = o * (float) Math.tanh(c);
        }
    }

    /**
     * GRU step, gate blocks {@code [r | u | c]}: {@code r, u = σ(xW + hRW + b)} over the first {@code 2n} columns,
     * {@code c = tanh(xW[c] + (r⊙h)RW[c] + b[c])}, {@code h' = u⊙h + (1-u)⊙c}. {@code z} holds {@code xW + b} then the
     * gate pre-activations; {@code rh} holds {@code r⊙h}.
     */
    private void gruUpdate(RecurrentWeights l, float[] x, int xOff, float[] states, int hOff) {
        int n = l.n();
        int cols = 3 * n;
        float[] zz = z;
        System.arraycopy(l.b(), 0, zz, 0, cols);
        float[] w = l.w();
        for (int i = 0; i < l.nIn(); i++) {
            float xi = x[xOff + i];
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                zz[j] += xi * w[row + j];
            }
        }
        float[] rw = l.rw();
        for (int i = 0; i < n; i++) {
            float hi = states[hOff + i];
            int row = i * cols;
            for (int j = 0; j < 2 * n; j++) {
                zz[j] += hi * rw[row + j];
            }
        }
        float[] rh = gruScratch;
        for (int j = 0; j < n; j++) {
            zz[j] = sigmoid(zz[j]); // r
            zz[n + j] = sigmoid(zz[n + j]); // u
            rh[j] = zz[j] * states[hOff + j];
        }
        for (int i = 0; i < n; i++) {
            float ri = rh[i];
            int row = i * cols + 2 * n;
            for (int j = 0; j < n; j++) {
                zz[2 * n + j] += ri * rw[row + j];
            }
        }
        for (int j = 0; j < n; j++) {
            float u = zz[n + j];
            float c = (float) Math.tanh(zz[2 * n + j]);
            states[hOff + j] = u * states[hOff + j] + (1 - u) * c;
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

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    @Override
    public KernelModel copy() {
        return new KernelModel(info, weights);
    }

    private static int gatesOf(CellType cell) {
        return switch (cell) {
            case RNN -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
    }

    /**
     * The cell of recurrent layer {@code index}, checked to be one the step kernels run (with its expected
     * activations); shared by every kernel that exports DL4J weights.
     */
    public static CellType cellOf(int index, org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof LSTM lstm) {
            requireActivation(index, "activation", lstm.getActivationFn(), ActivationTanH.class);
            requireActivation(index, "gate activation", lstm.getGateActivationFn(), ActivationSigmoid.class);
            return CellType.LSTM;
        }
        if (conf instanceof GruLayer) {
            return CellType.GRU;
        }
        if (conf instanceof SimpleRnn rnn) {
            requireActivation(index, "activation", rnn.getActivationFn(), ActivationTanH.class);
            if (rnn.hasLayerNorm()) {
                throw new IllegalArgumentException(
                        "layer " + index + " (SimpleRnn) uses layer normalisation, which the kernel does not run");
            }
            return CellType.RNN;
        }
        if (conf instanceof org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep
                || conf instanceof org.deeplearning4j.nn.conf.layers.misc.RepeatVector) {
            throw new IllegalArgumentException(
                    "layer " + index + " is " + conf.getClass().getSimpleName()
                            + ": an encoder-decoder or one-to-many network, which the step kernel does not run; run it"
                            + " with ShapedModel");
        }
        throw new IllegalArgumentException(
                "layer " + index + " is " + conf.getClass().getSimpleName()
                        + "; the step kernels run SimpleRnn, LSTM or GruLayer layers (build the network with Networks)");
    }

    /** Fails naming the layer when its {@code what} activation is not {@code expected}. */
    public static void requireActivation(
            int index, String what, IActivation actual, Class<? extends IActivation> expected) {
        if (!expected.isInstance(actual)) {
            throw new IllegalArgumentException("layer " + index + " has " + what + " " + actual + "; the kernel needs "
                    + expected.getSimpleName());
        }
    }

    private static RecurrentWeights recurrentWeights(int index, Layer layer, int gates) {
        INDArray w = param(index, layer, "W");
        INDArray rw = param(index, layer, "RW");
        INDArray b = param(index, layer, "b");
        int nIn = (int) w.size(0);
        int n = (int) rw.size(0);
        int cols = gates * n;
        if (w.rank() != 2 || w.size(1) != cols || rw.rank() != 2 || rw.size(1) != cols || b.length() != cols) {
            throw new IllegalArgumentException("layer " + index + " has W " + shape(w) + ", RW " + shape(rw) + ", b "
                    + shape(b) + "; expected W [nIn, " + gates + "n], RW [n, " + gates + "n], b of " + gates + "n");
        }
        return new RecurrentWeights(nIn, n, gates, flat(w), flat(rw), flat(b));
    }

    private static INDArray param(int index, Layer layer, String key) {
        INDArray p = layer.paramTable().get(key);
        if (p == null) {
            throw new IllegalArgumentException("layer " + index + " has no parameter '" + key + "'; it has "
                    + layer.paramTable().keySet());
        }
        return p;
    }

    /** Row-major copy of a DL4J parameter (which is usually a column-major view into the flat parameter vector). */
    private static float[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a.castTo(DataType.FLOAT)).toFloatVector();
    }

    private static String shape(INDArray a) {
        return java.util.Arrays.toString(a.shape());
    }
}
