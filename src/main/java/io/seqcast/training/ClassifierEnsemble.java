package io.seqcast.training;

import io.seqcast.model.CellType;
import io.seqcast.model.SequenceShape;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An ensemble of beat classifiers served as one network: K trained many-to-one classifiers of one LSTM layer of
 * {@code n} units each (same inputs, same classes) become one LSTM layer of {@code K n} units whose weights are
 * block-diagonal (member k's units read the inputs and their own recurrent state only, so they compute exactly what
 * they computed alone), and one softmax layer whose class scores are the mean of the members' class scores. The
 * ensemble's probabilities are therefore the softmax of the members' mean log-odds (a normalised geometric mean of
 * their probabilities), what {@code scripts/heartbeat-offsets.py} scores when given several cross-validations.
 *
 * <p>A member may read fewer inputs than the others when its inputs are the first ones of theirs (a member trained
 * before input channels were appended): its units get zero weights from the inputs it never read, so it still computes
 * exactly what it computed alone. The caller checks that the inputs are such a prefix (by their names).
 *
 * <p>The result is an ordinary network of the project's layout ({@code lstm_0}, {@code output}), so serving, the
 * artifact format and the pipeline's state are unchanged; only the layer is wider.
 */
public final class ClassifierEnsemble {

    private static final String WEIGHTS = LstmBlocks.WEIGHTS;
    private static final String RECURRENT = LstmBlocks.RECURRENT;
    private static final String BIAS = LstmBlocks.BIAS;
    private static final int GATES = LstmBlocks.GATES;

    private ClassifierEnsemble() {}

    /**
     * One network whose class scores are the mean of {@code members}' class scores, as described on the class.
     *
     * @throws IllegalArgumentException when there is no member, or the members are not single-LSTM-layer networks of
     *     the same hidden and class sizes
     */
    public static MultiLayerNetwork averageOf(List<MultiLayerNetwork> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one classifier");
        }
        MultiLayerNetwork first = members.get(0);
        check(first, 0);
        int n = (int) first.getLayer(0).getParam(RECURRENT).size(0);
        int classes = (int) first.getLayer(1).getParam(BIAS).length();
        int nIn = 0;
        for (int m = 0; m < members.size(); m++) {
            MultiLayerNetwork net = members.get(m);
            check(net, m);
            if (net.getLayer(0).getParam(RECURRENT).size(0) != n
                    || net.getLayer(1).getParam(BIAS).length() != classes) {
                throw new IllegalArgumentException("ensemble member " + (m + 1) + " has other sizes than the first ("
                        + n + " units, " + classes + " classes)");
            }
            nIn = Math.max(nIn, (int) net.getLayer(0).getParam(WEIGHTS).size(0));
        }
        int k = members.size();
        int h = k * n;
        MultiLayerNetwork out = Networks.build(new NetworkSpec(
                CellType.LSTM,
                List.of(h),
                nIn,
                classes,
                0,
                1e-3,
                GradientClipping.defaults(),
                0,
                0,
                SequenceShape.MANY_TO_ONE,
                OutputHead.CLASSIFICATION,
                1));
        Layer lstm = out.getLayer(0);
        INDArray w = lstm.getParam(WEIGHTS).dup().assign(0);
        INDArray rw = lstm.getParam(RECURRENT).dup().assign(0);
        INDArray b = lstm.getParam(BIAS).dup().assign(0);
        INDArray ow = out.getLayer(1).getParam(WEIGHTS).dup().assign(0);
        INDArray ob = out.getLayer(1).getParam(BIAS).dup().assign(0);
        for (int m = 0; m < k; m++) {
            // its inputs: the first of the ensemble's
            LstmBlocks.place(members.get(m).getLayer(0), m, k, 0, w, rw, b);
            Layer head = members.get(m).getLayer(1);
            ow.get(NDArrayIndex.interval(m * n, (m + 1) * n), NDArrayIndex.all())
                    .assign(head.getParam(WEIGHTS).div(k));
            ob.addi(head.getParam(BIAS).reshape(ob.shape()).div(k));
        }
        lstm.setParam(WEIGHTS, w);
        lstm.setParam(RECURRENT, rw);
        lstm.setParam(BIAS, b);
        out.getLayer(1).setParam(WEIGHTS, ow);
        out.getLayer(1).setParam(BIAS, ob);
        return out;
    }

    private static void check(MultiLayerNetwork net, int index) {
        boolean ok = net.getnLayers() == 2
                && net.getLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.LSTM
                && net.getLayer(0).getParam(RECURRENT).size(1)
                        == GATES * net.getLayer(0).getParam(RECURRENT).size(0);
        if (!ok) {
            throw new IllegalArgumentException("ensemble member " + (index + 1)
                    + " is not a classifier of one LSTM layer and a softmax layer (train it with --cell lstm and one"
                    + " --layers size)");
        }
    }
}
