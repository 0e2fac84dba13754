package io.seqcast.model;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J layer configuration of a gated recurrent unit, the layer DL4J 1.0.0-M2.1 lacks.
 *
 * <p>Equations (Cho et al. 2014, reset applied before the recurrent product), for input {@code x}, previous output
 * {@code h}, parameters {@code W [nIn, 3n]}, {@code RW [n, 3n]}, {@code b [3n]} with column blocks {@code [r | u |
 * c]}:
 *
 * <pre>
 *   r  = σ(x W[r] + h RW[r] + b[r])              reset gate
 *   u  = σ(x W[u] + h RW[u] + b[u])              update gate
 *   c  = tanh(x W[c] + (r ⊙ h) RW[c] + b[c])     candidate
 *   h' = u ⊙ h + (1 − u) ⊙ c
 * </pre>
 *
 * <p>This is ND4J's {@code gru} op's convention (gate order and {@code h' = u h + (1-u) c}), not the
 * "linear-before-reset" variant of cuDNN and PyTorch ({@code r ⊙ (h RW[c] + b_h)}).
 *
 * <p>Why a hand-written layer and not a {@code SameDiffLayer} over ND4J's {@code gru} op: in 1.0.0-M2.1 a
 * {@code SameDiffLayer} fixes every input dimension but the minibatch when first run (its placeholder takes the first
 * input's time length) and is not a {@code RecurrentLayer}, so it has no {@code rnnTimeStep} and no hidden state
 * carried between truncated-BPTT segments. This layer extends DL4J's {@code BaseRecurrentLayer}: any sequence length,
 * masks, dropout, stateful stepping and TBPTT behave as for DL4J's own {@code SimpleRnn} and {@code LSTM}. The
 * backward pass is written out in {@link GruLayerImpl} and checked against numerical gradients in the tests.
 *
 * <p>Only data format NCW ({@code [batch, features, time]}) is supported.
 */
public class GruLayer extends BaseRecurrentLayer {

    /** For Jackson (DL4J serialises layer configurations as JSON with the class name). */
    public GruLayer() {}

    private GruLayer(Builder builder) {
        super(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GruLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getRnnDataFormat() != null && getRnnDataFormat() != RNNFormat.NCW) {
            throw new IllegalArgumentException(
                    "GRU layer " + getLayerName() + " supports data format NCW only, got " + getRnnDataFormat());
        }
        GruLayerImpl layer = new GruLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GruParamInitializer.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return null; // as DL4J's SimpleRnn: no memory report
    }

    /** Builds a {@link GruLayer}: {@code new GruLayer.Builder().nIn(3).nOut(16).build()}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GruLayer build() {
            return new GruLayer(this);
        }
    }
}
