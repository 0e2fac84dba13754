package io.seqcast.training;

import io.seqcast.model.CellType;
import io.seqcast.model.SequenceShape;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An ensemble of many-to-many LSTM forecasters served as one network: K trained networks of the same layout (LSTM
 * layers of {@code n_1 .. n_L} units over the same inputs, the same outputs) become one network of LSTM layers of
 * {@code K n_l} units whose weights are block-diagonal (member k's units read the inputs, or member k's units of the
 * layer below, and their own recurrent state only, so they compute exactly what they computed alone), and an output
 * layer that averages the members' outputs. Its forecasts are the mean of the members' forecasts, step by step, with
 * the members' states carried side by side in the wider state.
 *
 * <p>The result is an ordinary network of the project's layout ({@link Networks}), so serving, the artifact format
 * and the pipeline's state code are unchanged; only the layers are wider. {@link ClassifierEnsemble} does the same for
 * one-layer classifiers.
 */
public final class ForecasterEnsemble {

    private static final String WEIGHTS = LstmBlocks.WEIGHTS;
    private static final String RECURRENT = LstmBlocks.RECURRENT;
    private static final String BIAS = LstmBlocks.BIAS;

    private ForecasterEnsemble() {}

    /**
     * One network whose outputs are the mean of {@code members}' outputs, as described on the class.
     *
     * @param head the output head recorded in the merged network's configuration (the loss it would train with)
     * @throws IllegalArgumentException when there is no member, or the members are not LSTM networks of the same
     *     layer sizes, inputs and outputs
     */
    public static MultiLayerNetwork averageOf(List<MultiLayerNetwork> members, OutputHead head) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one forecaster");
        }
        List<Integer> sizes = sizes(members.get(0), 0);
        int last = sizes.size();
        int nIn = (int) members.get(0).getLayer(0).getParam(WEIGHTS).size(0);
        int outputs = (int) members.get(0).getLayer(last).getParam(BIAS).length();
        for (int m = 1; m < members.size(); m++) {
            MultiLayerNetwork net = members.get(m);
            if (!sizes(net, m).equals(sizes)
                    || net.getLayer(0).getParam(WEIGHTS).size(0) != nIn
                    || net.getLayer(last).getParam(BIAS).length() != outputs) {
                throw new IllegalArgumentException("ensemble member " + (m + 1) + " has other sizes than the first ("
                        + nIn + " inputs, LSTM " + sizes + ", " + outputs + " outputs)");
            }
        }
        int k = members.size();
        List<Integer> wide = new ArrayList<>();
        for (int n : sizes) {
            wide.add(k * n);
        }
        MultiLayerNetwork out = Networks.build(new NetworkSpec(
                CellType.LSTM,
                wide,
                nIn,
                outputs,
                0,
                0.01,
                GradientClipping.none(),
                0,
                0,
                SequenceShape.MANY_TO_MANY,
                head,
                1));
        for (int l = 0; l < last; l++) {
            int below = l == 0 ? 0 : sizes.get(l - 1); // layer 0: every member reads all the inputs
            Layer target = out.getLayer(l);
            INDArray w = target.getParam(WEIGHTS).assign(0);
            INDArray rw = target.getParam(RECURRENT).assign(0);
            INDArray b = target.getParam(BIAS).assign(0);
            for (int m = 0; m < k; m++) {
                LstmBlocks.place(members.get(m).getLayer(l), m, k, m * below, w, rw, b);
            }
        }
        int n = sizes.get(last - 1);
        INDArray w = out.getLayer(last).getParam(WEIGHTS).assign(0);
        INDArray b = out.getLayer(last).getParam(BIAS).assign(0);
        for (int m = 0; m < k; m++) {
            Layer source = members.get(m).getLayer(last);
            w.get(NDArrayIndex.interval(m * n, (m + 1) * n), NDArrayIndex.all())
                    .assign(source.getParam(WEIGHTS).div(k));
            b.addi(source.getParam(BIAS).reshape(b.shape()).div(k));
        }
        return out;
    }

    /** The LSTM layer sizes of a network of the project's layout, checking that it is one. */
    private static List<Integer> sizes(MultiLayerNetwork net, int index) {
        List<Integer> sizes = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int l = 0; l < layers.length - 1; l++) {
            if (!(layers[l] instanceof org.deeplearning4j.nn.layers.recurrent.LSTM)) {
                throw new IllegalArgumentException("ensemble member " + (index + 1) + ": layer " + l + " is "
                        + layers[l].getClass().getSimpleName() + ", not an LSTM");
            }
            sizes.add((int) layers[l].getParam(RECURRENT).size(0));
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("ensemble member " + (index + 1) + " has no recurrent layer");
        }
        return sizes;
    }
}
