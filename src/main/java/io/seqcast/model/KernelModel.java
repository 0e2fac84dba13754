package io.seqcast.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A {@link SequenceModel} that runs a trained network's weights in plain Java, one time step at a time, with no ND4J
 * on the hot path.
 *
 * <p>The weights are {@link NetworkWeights}, exported once from a DL4J network built by
 * {@code io.seqcast.training.Networks}, never changed afterwards; instances made by {@link #copy()} share them and own
 * only scratch buffers. The per-series loop is {@link StepKernel}'s. The arithmetic is done in float with
 * {@link Math#tanh} and {@link Math#exp}, so outputs agree with DL4J's within float rounding (about 1e-6), not bit for
 * bit; a series gives bit-identical results whether it is stepped alone or in a batch.
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
public final class KernelModel extends StepKernel {

    private final NetworkWeights weights;
    private final NetworkWeights.Layer[] layers;
    private final boolean lstm;
    private final boolean gru;
    /** Pre-activations of the widest layer. */
    private final float[] z;
    /** {@code r⊙h} of a GRU layer, as wide as the widest layer. */
    private final float[] gruScratch;

    /** Runs {@code weights} as exported (any output layer, softmax included). */
    public KernelModel(NetworkWeights weights) {
        super(weights.info(), weights.outW(), weights.outB(), weights.softmax());
        this.weights = weights;
        this.layers = weights.layers().toArray(NetworkWeights.Layer[]::new);
        this.lstm = weights.info().cell() == CellType.LSTM;
        this.gru = weights.info().cell() == CellType.GRU;
        int widest = 0;
        int widestN = 0;
        for (NetworkWeights.Layer l : layers) {
            widest = Math.max(widest, l.columns());
            widestN = Math.max(widestN, l.n());
        }
        this.z = new float[widest];
        this.gruScratch = new float[widestN];
    }

    /**
     * Copies the weights of {@code net} into a kernel ({@link NetworkWeights#fromNetwork}).
     *
     * @throws IllegalArgumentException naming the layer if the network has another layout or activation
     */
    public static KernelModel fromNetwork(MultiLayerNetwork net, String name, String version) {
        return new KernelModel(NetworkWeights.fromNetwork(net, name, version));
    }

    @Override
    protected void advance(int layer, float[] x, int xOff, float[] states, int hOff) {
        NetworkWeights.Layer l = layers[layer];
        if (gru) {
            gruUpdate(l, x, xOff, states, hOff);
            return;
        }
        preActivation(l, x, xOff, states, hOff);
        if (lstm) {
            lstmUpdate(l.n(), states, hOff);
        } else {
            for (int j = 0; j < l.n(); j++) {
                states[hOff + j] = (float) Math.tanh(z[j]);
            }
        }
    }

    /** {@code z = x W + h RW + b}, with {@code h} at {@code states[hOff..]}; inner loops run over contiguous columns. */
    private void preActivation(NetworkWeights.Layer l, float[] x, int xOff, float[] states, int hOff) {
        int cols = l.columns();
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
    private void gruUpdate(NetworkWeights.Layer l, float[] x, int xOff, float[] states, int hOff) {
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

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    @Override
    public KernelModel copy() {
        return new KernelModel(weights);
    }
}
