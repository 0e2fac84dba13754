package io.seqcast.kernel;

import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.ModelInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained network's weights in the layout {@link FusedKernel} runs: per recurrent layer one fused matrix
 * {@code [W; RW]} of {@code (nIn + n)} rows by {@code gates * n} columns, row-major, so that one pass over the
 * concatenated vector {@code [x; h]} gives every gate's pre-activation (for GRU, the candidate's recurrent rows
 * multiply {@code r ⊙ h} instead of {@code h}); the columns keep DL4J's gate blocks (LSTM: cell input, forget,
 * output, input gate; GRU: reset, update, candidate), each block {@code n} contiguous units, so the cell update runs over
 * contiguous memory. Immutable once built; shared by every kernel made from it.
 *
 * @param info shape and identity of the network
 * @param layers the recurrent layers, from the input upwards
 * @param outW output layer weights, {@code [outIn][outSize]} row-major
 * @param outB output layer bias
 */
public record FusedWeights(ModelInfo info, List<FusedWeights.Recurrent> layers, float[] outW, float[] outB) {

    /**
     * One recurrent layer.
     *
     * @param nIn inputs of the layer
     * @param n units
     * @param gates 1 (RNN), 3 (GRU) or 4 (LSTM)
     * @param w {@code [(nIn + n)][gates * n]} row-major: the input weights' rows, then the recurrent weights' rows
     * @param b {@code gates * n} biases
     */
    public record Recurrent(int nIn, int n, int gates, float[] w, float[] b) {
        int columns() {
            return gates * n;
        }
    }

    public FusedWeights {
        layers = List.copyOf(layers);
    }

    /**
     * Exports the weights of {@code net}, laid out as {@link io.seqcast.training.Networks} builds it: recurrent layers of
     * one cell type (SimpleRnn with tanh, LSTM with tanh and sigmoid gates, or seqcast's GruLayer), then an identity
     * {@code RnnOutputLayer}.
     *
     * @throws IllegalArgumentException naming the layer when the network has another layout
     */
    public static FusedWeights fromNetwork(MultiLayerNetwork net, String name, String version) {
        int count = net.getnLayers();
        if (count < 2) {
            throw new IllegalArgumentException("network has " + count
                    + " layers; expected recurrent layers then an RnnOutputLayer (build it with Networks)");
        }
        CellType cell = null;
        List<Recurrent> layers = new ArrayList<>();
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < count - 1; i++) {
            Layer layer = net.getLayer(i);
            CellType c = KernelModel.cellOf(i, layer.conf().getLayer());
            if (cell != null && c != cell) {
                throw new IllegalArgumentException(
                        "layer " + i + " is " + c + " but layer 0 is " + cell + "; the kernel needs one cell type");
            }
            cell = c;
            int gates = switch (c) {
                case LSTM -> 4;
                case GRU -> 3;
                case RNN -> 1;
            };
            float[][] w = matrix(i, layer, "W");
            float[][] rw = matrix(i, layer, "RW");
            float[] b = flat(param(i, layer, "b"));
            int nIn = w.length;
            int n = rw.length;
            int cols = gates * n;
            if (w[0].length != cols || rw[0].length != cols || b.length != cols) {
                throw new IllegalArgumentException("layer " + i + " has W " + nIn + "x" + w[0].length + ", RW " + n
                        + "x" + rw[0].length + ", b of " + b.length + "; expected " + gates + "n = " + cols
                        + " columns");
            }
            if (!layers.isEmpty() && layers.get(layers.size() - 1).n() != nIn) {
                throw new IllegalArgumentException("layer " + i + " takes " + nIn + " inputs but layer " + (i - 1)
                        + " gives " + layers.get(layers.size() - 1).n());
            }
            float[] fused = new float[(nIn + n) * cols];
            for (int r = 0; r < nIn; r++) {
                System.arraycopy(w[r], 0, fused, r * cols, cols);
            }
            for (int r = 0; r < n; r++) {
                System.arraycopy(rw[r], 0, fused, (nIn + r) * cols, cols);
            }
            layers.add(new Recurrent(nIn, n, gates, fused, b));
            hidden.add(n);
        }
        int outIndex = count - 1;
        Layer out = net.getLayer(outIndex);
        if (!(out.conf().getLayer() instanceof RnnOutputLayer ol)) {
            throw new IllegalArgumentException("layer " + outIndex + " is "
                    + out.conf().getLayer().getClass().getSimpleName() + "; expected an RnnOutputLayer");
        }
        KernelModel.requireActivation(outIndex, "activation", ol.getActivationFn(), ActivationIdentity.class);
        float[][] ow = matrix(outIndex, out, "W");
        float[] ob = flat(param(outIndex, out, "b"));
        int last = hidden.get(hidden.size() - 1);
        if (ow.length != last || ow[0].length != ob.length) {
            throw new IllegalArgumentException("output layer " + outIndex + " has W " + ow.length + "x" + ow[0].length
                    + " and b of " + ob.length + "; expected W [" + last + ", nOut] and b of nOut");
        }
        float[] outW = new float[last * ob.length];
        for (int r = 0; r < last; r++) {
            System.arraycopy(ow[r], 0, outW, r * ob.length, ob.length);
        }
        ModelInfo info =
                new ModelInfo(name, version, cell, hidden, layers.get(0).nIn(), ob.length);
        return new FusedWeights(info, layers, outW, ob);
    }

    private static INDArray param(int index, Layer layer, String key) {
        INDArray p = layer.paramTable().get(key);
        if (p == null) {
            throw new IllegalArgumentException("layer " + index + " has no parameter '" + key + "'; it has "
                    + layer.paramTable().keySet());
        }
        return p;
    }

    private static float[][] matrix(int index, Layer layer, String key) {
        INDArray p = param(index, layer, key);
        if (p.rank() != 2) {
            throw new IllegalArgumentException(
                    "layer " + index + " parameter " + key + " has shape " + Arrays.toString(p.shape()));
        }
        return p.castTo(DataType.FLOAT).toFloatMatrix();
    }

    private static float[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a.castTo(DataType.FLOAT)).toFloatVector();
    }
}
