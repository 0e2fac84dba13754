package io.seqcast.model;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
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
 * <p>Layout of every network built here, which {@link KernelModel} relies on: layers {@code 0 .. L-1} are the
 * recurrent layers ({@link CellType#RNN}: DL4J {@code SimpleRnn} with tanh; {@link CellType#LSTM}: DL4J {@code LSTM}
 * with tanh and sigmoid gates, no peepholes; {@link CellType#GRU} is refused), layer {@code L} is an
 * {@code RnnOutputLayer} with identity activation and mean squared error loss. Data format NCW ({@code [batch,
 * features, time]}), data type FLOAT, Xavier initialisation seeded by the spec, Adam updater.
 */
public final class Networks {

    /** Name of the output layer in every network built here. */
    public static final String OUTPUT_LAYER_NAME = "output";

    private Networks() {}

    /** Name of recurrent layer {@code index}, as used in training reports: e.g. {@code lstm_0}. */
    public static String layerName(CellType cell, int index) {
        return cell.name().toLowerCase(java.util.Locale.ROOT) + "_" + index;
    }

    /** Builds and initialises an untrained network for {@code spec}. */
    public static MultiLayerNetwork build(NetworkSpec spec) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(spec.learningRate()))
                .gradientNormalization(spec.clipping().toDl4j())
                .gradientNormalizationThreshold(spec.clipping().active() ? spec.clipping().threshold() : 1.0)
                .list();
        int nIn = spec.inputSize();
        int layer = 0;
        for (int hidden : spec.hiddenSizes()) {
            double retain = layer == 0 ? 1.0 : 1.0 - spec.dropout();
            Layer recurrent = recurrentLayer(spec.cell(), nIn, hidden, retain);
            recurrent.setLayerName(layerName(spec.cell(), layer));
            list.layer(layer, recurrent);
            nIn = hidden;
            layer++;
        }
        RnnOutputLayer.Builder out = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY)
                .nIn(nIn)
                .nOut(spec.outputSize())
                .dataFormat(RNNFormat.NCW)
                .name(OUTPUT_LAYER_NAME);
        if (spec.dropout() > 0) {
            out.dropOut(1.0 - spec.dropout());
        }
        list.layer(layer, out.build());
        if (spec.tbpttLength() > 0) {
            list.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(spec.tbpttLength())
                    .tBPTTBackwardLength(spec.tbpttLength());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
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
            case GRU -> throw new UnsupportedOperationException(
                    "GRU networks are not supported: DL4J 1.0.0-M2.1 has no GRU layer and seqcast has no custom one"
                            + " yet; use LSTM");
        };
    }
}
