package io.seqcast.training;

import io.seqcast.model.CellType;
import io.seqcast.model.GruLayer;
import io.seqcast.model.SequenceShape;
import java.util.List;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DL4J networks seqcast trains: stacked recurrent layers and a per-step linear regression output.
 *
 * <p>Layout of every network built here, which {@link io.seqcast.model.KernelModel} relies on: layers {@code 0 .. L-1} are the
 * recurrent layers ({@link CellType#RNN}: DL4J {@code SimpleRnn} with tanh; {@link CellType#LSTM}: DL4J {@code LSTM}
 * with tanh and sigmoid gates, no peepholes; {@link CellType#GRU}: seqcast's {@link GruLayer}), layer {@code L} is an
 * {@code RnnOutputLayer} with identity activation and mean squared error loss. Data format NCW ({@code [batch,
 * features, time]}), data type FLOAT, Xavier initialisation seeded by the spec, Adam updater. With truncated BPTT the
 * LSTM layers are {@link TruncatedBpttLstm}s at run time (gradients from the carried state; their configuration, and
 * so a saved network, is DL4J's LSTM).
 */
public final class Networks {

    /** Name of the output layer in every network built here. */
    public static final String OUTPUT_LAYER_NAME = "output";

    private Networks() {}

    /** Name of recurrent layer {@code index}, as used in training reports: e.g. {@code lstm_0}. */
    public static String layerName(CellType cell, int index) {
        return cell.name().toLowerCase(java.util.Locale.ROOT) + "_" + index;
    }

    /** Name of the {@code RepeatVector} layer of encoder-decoder and one-to-many networks. */
    public static final String REPEAT_LAYER_NAME = "repeat";

    /**
     * Builds and initialises an untrained network for {@code spec}.
     *
     * <p>Layouts by shape (layer names in brackets):
     *
     * <ul>
     *   <li>many-to-many, many-to-one: recurrent layers [{@code gru_0} ..], output layer [{@code output}]. A
     *       many-to-one network is trained with its loss masked to the last step.
     *   <li>encoder-decoder: encoder layers [{@code gru_0} ..], the last wrapped in DL4J's {@code LastTimeStep}, a
     *       {@code RepeatVector} of {@code outputSteps} [{@code repeat}], decoder layers [{@code dec_gru_0} ..], output.
     *   <li>one-to-many: {@code RepeatVector} of {@code outputSteps} over the input vector [{@code repeat}], recurrent
     *       layers [{@code gru_0} ..], output.
     * </ul>
     *
     * <p>The output layer is an {@code RnnOutputLayer}: identity and MSE for {@link OutputHead#REGRESSION}, softmax
     * and multi-class cross-entropy for {@link OutputHead#CLASSIFICATION}.
     */
    public static MultiLayerNetwork build(NetworkSpec spec) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(spec.learningRate()))
                .gradientNormalization(spec.clipping().toDl4j())
                .gradientNormalizationThreshold(
                        spec.clipping().active() ? spec.clipping().threshold() : 1.0)
                .list();
        int nIn = spec.inputSize();
        int layer = 0;
        if (spec.shape() == SequenceShape.ONE_TO_MANY) {
            list.layer(layer++, repeat(nIn, spec.outputSteps()));
        }
        List<Integer> sizes = spec.hiddenSizes();
        for (int i = 0; i < sizes.size(); i++) {
            int hidden = sizes.get(i);
            double retain = i == 0 ? 1.0 : 1.0 - spec.dropout(); // the raw input is never dropped
            Layer recurrent = recurrentLayer(spec.cell(), nIn, hidden, retain);
            recurrent.setLayerName(layerName(spec.cell(), i));
            if (spec.shape() == SequenceShape.ENCODER_DECODER && i == sizes.size() - 1) {
                LastTimeStep last = new LastTimeStep(recurrent);
                last.setLayerName(layerName(spec.cell(), i));
                recurrent = last;
            }
            list.layer(layer++, recurrent);
            nIn = hidden;
        }
        if (spec.shape() == SequenceShape.ENCODER_DECODER) {
            list.layer(layer++, repeat(nIn, spec.outputSteps()));
            for (int i = 0; i < sizes.size(); i++) {
                int hidden = sizes.get(sizes.size() - 1 - i);
                Layer recurrent = recurrentLayer(spec.cell(), nIn, hidden, 1.0 - spec.dropout());
                recurrent.setLayerName("dec_" + layerName(spec.cell(), i));
                list.layer(layer++, recurrent);
                nIn = hidden;
            }
        }
        boolean classify = spec.head() == OutputHead.CLASSIFICATION;
        RnnOutputLayer.Builder out = new RnnOutputLayer.Builder(
                        classify
                                ? LossFunctions.LossFunction.MCXENT
                                : spec.head() == OutputHead.MEDIAN
                                        ? LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR
                                        : LossFunctions.LossFunction.MSE)
                .activation(classify ? Activation.SOFTMAX : Activation.IDENTITY)
                .nIn(nIn)
                .nOut(spec.outputSize())
                .dataFormat(RNNFormat.NCW)
                .name(OUTPUT_LAYER_NAME);
        if (spec.dropout() > 0) {
            out.dropOut(1.0 - spec.dropout());
        }
        list.layer(layer, out.build());
        switch (spec.shape()) {
            case ENCODER_DECODER -> list.setInputType(InputType.recurrent(spec.inputSize(), RNNFormat.NCW));
            case ONE_TO_MANY -> list.setInputType(InputType.feedForward(spec.inputSize()));
            default -> {}
        }
        if (spec.tbpttLength() > 0 && spec.shape() == SequenceShape.MANY_TO_MANY) {
            list.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(spec.tbpttLength())
                    .tBPTTBackwardLength(spec.tbpttLength());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        if (spec.tbpttLength() > 0 && spec.shape() == SequenceShape.MANY_TO_MANY) {
            TruncatedBpttLstm.install(net); // DL4J's LSTM backpropagates TBPTT segments from the zero state
        }
        return net;
    }

    private static Layer repeat(int size, int times) {
        Layer r = new RepeatVector.Builder(times)
                .dataFormat(RNNFormat.NCW)
                .nIn(size)
                .nOut(size)
                .build();
        r.setLayerName(REPEAT_LAYER_NAME);
        return r;
    }

    /** DL4J's dropOut takes the probability of retaining an input; 1.0 means no dropout. */
    private static Layer recurrentLayer(CellType cell, int nIn, int nOut, double retain) {
        return switch (cell) {
            case RNN -> {
                SimpleRnn.Builder b = new SimpleRnn.Builder()
                        .activation(Activation.TANH)
                        .nIn(nIn)
                        .nOut(nOut)
                        .dataFormat(RNNFormat.NCW);
                if (retain < 1.0) {
                    b.dropOut(retain);
                }
                yield b.build();
            }
            case LSTM -> {
                LSTM.Builder b = new LSTM.Builder()
                        .activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID)
                        .nIn(nIn)
                        .nOut(nOut)
                        .dataFormat(RNNFormat.NCW);
                if (retain < 1.0) {
                    b.dropOut(retain);
                }
                yield b.build();
            }
            case GRU -> {
                GruLayer.Builder b = new GruLayer.Builder().nIn(nIn).nOut(nOut).dataFormat(RNNFormat.NCW);
                if (retain < 1.0) {
                    b.dropOut(retain);
                }
                yield b.build();
            }
        };
    }
}
