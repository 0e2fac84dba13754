package io.seqcast.training;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's LSTM layer whose gradient in truncated BPTT is that of the forward pass the loss was computed on: from the
 * state carried over from the previous segment.
 *
 * <p>Why: in DL4J 1.0.0-M2.1, {@code MultiLayerNetwork.computeGradientAndScore} always calls {@code
 * calcBackpropGradients} with {@code tbptt = false} (its TBPTT branch is broken for the output layer), so every
 * recurrent layer gets {@code backpropGradient}, and DL4J's {@code LSTM.backpropGradient} recomputes the segment's
 * forward pass from the <em>zero</em> state. The loss and the output layer's gradient see the carried state, the
 * LSTM's gradients do not: each segment is trained as if the series started there. Measured against PyTorch from the
 * same weights on the same segments (scripts/learning/ParityDl4j.java): the first segment's gradients agree to 1e-7,
 * later segments' recurrent-weight gradients differ by about 10%, and equal PyTorch's gradient of a forward from the
 * zero state to 1e-7. seqcast's own GRU layer ({@link io.seqcast.model.GruLayer}) already keeps the segment's initial
 * state for its backward pass; this class does the same for DL4J's LSTM.
 *
 * <p>Contract: {@link #rnnActivateUsingStoredState} in training remembers the state the segment starts from (DL4J's
 * TBPTT state); the next {@link #backpropGradient} recomputes the forward pass from that state ({@code
 * tbpttBackpropGradient} over the whole segment) and forgets it. Outside truncated-BPTT training (no remembered state)
 * it is DL4J's LSTM unchanged. The layer's configuration is DL4J's {@code LSTM}, so a saved network is a plain DL4J
 * network; only the runtime layer object differs.
 */
final class TruncatedBpttLstm extends org.deeplearning4j.nn.layers.recurrent.LSTM {

    private Map<String, INDArray> segmentStart;

    private TruncatedBpttLstm(org.deeplearning4j.nn.layers.recurrent.LSTM layer) {
        super(layer.conf(), layer.getDataType());
        setListeners(layer.getListeners());
        setIndex(layer.getIndex());
        setParamsViewArray(layer.params());
        setParamTable(layer.paramTable());
        if (layer.getGradientsViewArray() != null) { // else set by the network when it first fits
            setBackpropGradientsViewArray(layer.getGradientsViewArray());
        }
    }

    /**
     * Replaces every DL4J LSTM layer of an initialised {@code net} by one that backpropagates from the carried state
     * (same parameter and gradient views, so the parameters, the updater and the listeners are unaffected).
     */
    static void install(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] instanceof org.deeplearning4j.nn.layers.recurrent.LSTM lstm
                    && !(layers[i] instanceof TruncatedBpttLstm)) {
                layers[i] = new TruncatedBpttLstm(lstm);
            }
        }
        net.setLayers(layers);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(
            INDArray input, boolean training, boolean storeLastForTBPTT, LayerWorkspaceMgr workspaceMgr) {
        if (training) {
            segmentStart = new HashMap<>(tBpttStateMap);
        }
        return super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (segmentStart == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        Map<String, INDArray> stepping = new HashMap<>(stateMap);
        stateMap.clear();
        stateMap.putAll(segmentStart); // DL4J's tbpttBackpropGradient starts its forward pass from stateMap
        try {
            return tbpttBackpropGradient(epsilon, (int) epsilon.size(2), workspaceMgr);
        } finally {
            stateMap.clear();
            stateMap.putAll(stepping);
            segmentStart = null;
        }
    }

    @Override
    public void rnnClearPreviousState() {
        super.rnnClearPreviousState();
        segmentStart = null;
    }
}
