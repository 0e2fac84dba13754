package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqcast.model.CellType;
import io.seqcast.model.SequenceShape;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ForecasterEnsembleTest {

    private static MultiLayerNetwork member(List<Integer> sizes, long seed) {
        MultiLayerNetwork net = Networks.build(new NetworkSpec(
                CellType.LSTM,
                sizes,
                2,
                3,
                0,
                0.01,
                GradientClipping.none(),
                0,
                seed,
                SequenceShape.MANY_TO_MANY,
                OutputHead.MEDIAN,
                1));
        Random random = new Random(seed);
        INDArray p = net.params();
        for (int i = 0; i < p.length(); i++) {
            p.putScalar(i, random.nextGaussian() * 0.5); // every parameter non-trivial, biases included
        }
        return net;
    }

    @Test
    void shouldForecastTheMeanOfItsMembersAtEveryStepAndCarryTheirStates() {
        List<MultiLayerNetwork> members =
                List.of(member(List.of(4, 3), 1), member(List.of(4, 3), 2), member(List.of(4, 3), 3));
        MultiLayerNetwork ensemble = ForecasterEnsemble.averageOf(members, OutputHead.MEDIAN);
        assertEquals(12, ensemble.getLayer(0).getParam("RW").size(0));
        assertEquals(9, ensemble.getLayer(1).getParam("RW").size(0));
        INDArray x = randomInputs(30, 5);
        INDArray mean = meanOutput(members, x);
        assertClose(mean, ensemble.output(x), "whole sequence");
        // stepping: the wider state carries every member's state
        ensemble.rnnClearPreviousState();
        INDArray stepped = Nd4j.zeros(DataType.FLOAT, 2, 3, 30);
        for (int t = 0; t < 30; t++) {
            INDArrayIndex[] at = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1)};
            stepped.get(at).assign(ensemble.rnnTimeStep(x.get(at)));
        }
        assertClose(mean, stepped, "step by step");
    }

    @Test
    void shouldWeighAnEnsembleMemberAsItsNetworksWhateverTheSizes() {
        List<MultiLayerNetwork> three =
                List.of(member(List.of(4, 3), 1), member(List.of(4, 3), 2), member(List.of(4, 3), 3));
        MultiLayerNetwork pair = ForecasterEnsemble.averageOf(three.subList(0, 2), OutputHead.MEDIAN);
        MultiLayerNetwork grown =
                ForecasterEnsemble.weightedMeanOf(List.of(pair, three.get(2)), List.of(2, 1), OutputHead.MEDIAN);
        assertEquals(12, grown.getLayer(0).getParam("RW").size(0));
        assertEquals(9, grown.getLayer(1).getParam("RW").size(0));
        INDArray x = randomInputs(20, 7);
        assertClose(meanOutput(three, x), grown.output(x), "weights 2 and 1");
        // equal weights over members of different sizes: the plain mean of the pair's and the third's forecasts
        MultiLayerNetwork even =
                ForecasterEnsemble.weightedMeanOf(List.of(pair, three.get(2)), List.of(1, 1), OutputHead.MEDIAN);
        assertClose(meanOutput(List.of(pair, three.get(2)), x), even.output(x), "weights 1 and 1");
    }

    /** Two series of {@code steps} steps of the members' two inputs, standard normal. */
    private static INDArray randomInputs(int steps, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 2, steps);
        for (int i = 0; i < x.length(); i++) {
            x.putScalar(i, random.nextGaussian());
        }
        return x;
    }

    private static INDArray meanOutput(List<MultiLayerNetwork> nets, INDArray x) {
        INDArray mean = Nd4j.zeros(DataType.FLOAT, x.size(0), 3, x.size(2));
        for (MultiLayerNetwork m : nets) {
            mean.addi(m.output(x).div(nets.size()));
        }
        return mean;
    }

    /** Within 1e-5 of {@code expected} relative to its norm. */
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(
                0,
                actual.sub(expected).norm2Number().doubleValue()
                        / expected.norm2Number().doubleValue(),
                1e-5,
                what);
    }

    @Test
    void shouldRefuseMembersOfOtherSizes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ForecasterEnsemble.averageOf(
                        List.of(member(List.of(4, 3), 1), member(List.of(4, 4), 2)), OutputHead.MEDIAN));
        assertEquals(
                "ensemble member 2 has other sizes than the first (2 inputs, LSTM [4, 3], 3 outputs)", e.getMessage());
    }
}
