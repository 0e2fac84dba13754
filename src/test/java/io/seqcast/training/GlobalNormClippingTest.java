package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Clipping by the global gradient norm bounds the update DL4J applies: with plain SGD (learning rate 1) the parameter
 * change is the mean-loss gradient after clipping times the labelled steps per example, so its norm is bounded by the
 * threshold times that, where the unclipped update of the same data is far larger.
 */
class GlobalNormClippingTest {

    static final int BATCH = 4;
    static final int STEPS = 10;

    static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Sgd(1.0))
                .list()
                .layer(new LSTM.Builder()
                        .nIn(2)
                        .nOut(6)
                        .activation(Activation.TANH)
                        .dataFormat(RNNFormat.NCW)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR)
                        .activation(Activation.IDENTITY)
                        .nIn(6)
                        .nOut(3)
                        .dataFormat(RNNFormat.NCW)
                        .build())
                .build());
        net.init();
        return net;
    }

    /** Targets far from what the network outputs: a large gradient. */
    static DataSet data(INDArray labelMask) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 2, STEPS);
        INDArray y = Nd4j.rand(DataType.FLOAT, BATCH, 3, STEPS).muli(1000);
        return new DataSet(x, y, null, labelMask);
    }

    /** The L2 norm of the change of the parameters by one update on {@code data}. */
    static double update(MultiLayerNetwork net, DataSet data) {
        INDArray before = net.params().dup();
        net.fit(data);
        return net.params().sub(before).norm2Number().doubleValue();
    }

    @Test
    void shouldBoundTheUpdateByTheThresholdOfTheMeanLossGradient() {
        double threshold = 0.01;
        MultiLayerNetwork free = network();
        double unclipped = update(free, data(null));

        MultiLayerNetwork net = network();
        GlobalNormClipping clip = new GlobalNormClipping(net, threshold);
        net.setListeners(clip);
        double clipped = update(net, data(null));

        assertTrue(clip.lastNorm() > threshold, "the gradient exceeded the bound: " + clip.lastNorm());
        assertTrue(clip.lastFactor() < 0.1, "factor " + clip.lastFactor());
        // SGD at rate 1 applies the summed gradient divided by the batch: labelled steps per example times the mean's
        double bound = threshold * STEPS;
        assertTrue(clipped <= bound * (1 + 1e-4), "update " + clipped + " above " + bound);
        assertEquals(bound, clipped, bound * 1e-3, "a clipped update has exactly the bound's norm");
        assertTrue(unclipped > 10 * bound, "without clipping the update is " + unclipped);
    }

    @Test
    void shouldCountOnlyTheLabelledStepsOfTheMaskAndLeaveASmallGradientAlone() {
        INDArray mask = Nd4j.zeros(DataType.FLOAT, BATCH, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS / 2; t++) {
                mask.putScalar(b, t, 1);
            }
        }
        MultiLayerNetwork net = network();
        GlobalNormClipping clip = new GlobalNormClipping(net, 0.01);
        net.setListeners(clip);
        double clipped = update(net, data(mask));
        // half the steps labelled: the summed gradient's bound is half as large
        assertEquals(0.01 * STEPS / 2, clipped, 0.01 * STEPS / 2 * 1e-3);

        MultiLayerNetwork loose = network();
        MultiLayerNetwork same = network();
        GlobalNormClipping never = new GlobalNormClipping(loose, 1e12);
        loose.setListeners(never);
        assertEquals(update(same, data(mask)), update(loose, data(mask)), 1e-6);
        assertEquals(1.0, never.lastFactor());
    }
}
