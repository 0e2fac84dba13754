package io.seqcast.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
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
 * A trained network's weights copied out of DL4J into flat row-major {@code float[]} arrays: the one exporter every
 * step kernel starts from ({@link KernelModel} runs them as they are, the fast kernels of {@code io.seqcast.kernel}
 * re-lay them out). Values are DL4J's, cast to float, unchanged. Immutable by contract (the arrays are not copied
 * again; nobody writes them).
 *
 * @param info shape and identity of the network
 * @param layers the recurrent layers, from the input upwards
 * @param outW output layer weights, {@code [outIn][outSize]} row-major
 * @param outB output layer bias
 * @param softmax true when the output layer is linear then softmax (a classifier), false when it is linear
 */
public record NetworkWeights(
        ModelInfo info, List<NetworkWeights.Layer> layers, float[] outW, float[] outB, boolean softmax) {

    /**
     * One recurrent layer, its columns in {@link CellType#gates()} blocks of {@code n} (DL4J's order).
     *
     * @param nIn inputs of the layer
     * @param n units
     * @param cell the layer's cell
     * @param w input weights {@code [nIn][gates * n]} row-major
     * @param rw recurrent weights {@code [n][gates * n]} row-major
     * @param b {@code gates * n} biases
     */
    public record Layer(int nIn, int n, CellType cell, float[] w, float[] rw, float[] b) {
        /** {@code gates * n}. */
        public int columns() {
            return cell.gates() * n;
        }
    }

    public NetworkWeights {
        layers = List.copyOf(layers);
    }

    /**
     * Copies the weights of {@code net}.
     *
     * @param net a network laid out as {@code io.seqcast.training.Networks} builds it: recurrent layers of one cell
     *     type (SimpleRnn with tanh, LSTM with tanh and sigmoid gates, or seqcast's {@link GruLayer}), then an identity
     *     or softmax {@code RnnOutputLayer}
     * @throws IllegalArgumentException naming the layer if the network has another layout or activation
     */
    public static NetworkWeights fromNetwork(MultiLayerNetwork net, String name, String version) {
        int layerCount = net.getnLayers();
        if (layerCount < 2) {
            throw new IllegalArgumentException("network has " + layerCount
                    + " layers; expected at least one recurrent layer and an RnnOutputLayer (build it with Networks)");
        }
        CellType cell = null;
        List<Layer> layers = new ArrayList<>();
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < layerCount - 1; i++) {
            org.deeplearning4j.nn.api.Layer layer = net.getLayer(i);
            CellType layerCell = cellOf(i, layer.conf().getLayer());
            if (cell != null && cell != layerCell) {
                throw new IllegalArgumentException("layer " + i + " is " + layerCell + " but layer 0 is " + cell
                        + "; a kernel model needs one cell type in every recurrent layer");
            }
            cell = layerCell;
            Layer w = recurrent(i, layer, layerCell);
            if (!layers.isEmpty() && layers.get(layers.size() - 1).n() != w.nIn()) {
                throw new IllegalArgumentException("layer " + i + " takes " + w.nIn() + " inputs but layer " + (i - 1)
                        + " gives " + layers.get(layers.size() - 1).n());
            }
            layers.add(w);
            hidden.add(w.n());
        }
        int outIndex = layerCount - 1;
        org.deeplearning4j.nn.api.Layer out = net.getLayer(outIndex);
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
        if (ow.rank() != 2 || outIn != lastHidden || ob.length() != outSize) {
            throw new IllegalArgumentException("output layer " + outIndex + " has W " + shape(ow) + " and b "
                    + shape(ob) + "; expected W [" + lastHidden + ", nOut] and b of nOut");
        }
        ModelInfo info =
                new ModelInfo(name, version, cell, hidden, layers.get(0).nIn(), outSize);
        return new NetworkWeights(info, layers, flat(ow), flat(ob), softmax);
    }

    /** The cell of recurrent layer {@code index}, checked to be one the step kernels run, with their activations. */
    private static CellType cellOf(int index, org.deeplearning4j.nn.conf.layers.Layer conf) {
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
        if (conf instanceof LastTimeStep || conf instanceof RepeatVector) {
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
    private static void requireActivation(
            int index, String what, IActivation actual, Class<? extends IActivation> expected) {
        if (!expected.isInstance(actual)) {
            throw new IllegalArgumentException("layer " + index + " has " + what + " " + actual + "; the kernel needs "
                    + expected.getSimpleName());
        }
    }

    private static Layer recurrent(int index, org.deeplearning4j.nn.api.Layer layer, CellType cell) {
        INDArray w = param(index, layer, "W");
        INDArray rw = param(index, layer, "RW");
        INDArray b = param(index, layer, "b");
        int gates = cell.gates();
        int nIn = (int) w.size(0);
        int n = (int) rw.size(0);
        int cols = gates * n;
        if (w.rank() != 2 || w.size(1) != cols || rw.rank() != 2 || rw.size(1) != cols || b.length() != cols) {
            throw new IllegalArgumentException("layer " + index + " has W " + shape(w) + ", RW " + shape(rw) + ", b "
                    + shape(b) + "; expected W [nIn, " + gates + "n], RW [n, " + gates + "n], b of " + gates + "n");
        }
        return new Layer(nIn, n, cell, flat(w), flat(rw), flat(b));
    }

    private static INDArray param(int index, org.deeplearning4j.nn.api.Layer layer, String key) {
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
        return Arrays.toString(a.shape());
    }
}
