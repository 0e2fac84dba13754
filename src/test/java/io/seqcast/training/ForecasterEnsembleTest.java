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
        Random random = new Random(5);
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 2, 30);
        for (int i = 0; i < x.length(); i++) {
            x.putScalar(i, random.nextGaussian());
        }
        INDArray mean = Nd4j.zeros(DataType.FLOAT, 2, 3, 30);
        for (MultiLayerNetwork m : members) {
            mean.addi(m.output(x).div(members.size()));
        }
        INDArray got = ensemble.output(x);
        assertEquals(
                0,
                got.sub(mean).norm2Number().doubleValue() / mean.norm2Number().doubleValue(),
                1e-5);
        // stepping: the wider state carries every member's state
        ensemble.rnnClearPreviousState();
        INDArray stepped = Nd4j.zeros(DataType.FLOAT, 2, 3, 30);
        for (int t = 0; t < 30; t++) {
            INDArray step = ensemble.rnnTimeStep(x.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(t, t + 1)));
            stepped.get(
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(t, t + 1))
                    .assign(step);
        }
        assertEquals(
                0,
                stepped.sub(mean).norm2Number().doubleValue()
                        / mean.norm2Number().doubleValue(),
                1e-5);
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
        Random random = new Random(7);
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 2, 20);
        for (int i = 0; i < x.length(); i++) {
            x.putScalar(i, random.nextGaussian());
        }
        INDArray mean = Nd4j.zeros(DataType.FLOAT, 2, 3, 20);
        for (MultiLayerNetwork m : three) {
            mean.addi(m.output(x).div(three.size()));
        }
        INDArray got = grown.output(x);
        assertEquals(
                0,
                got.sub(mean).norm2Number().doubleValue() / mean.norm2Number().doubleValue(),
                1e-5);
        // equal weights over members of different sizes: the plain mean of the pair's and the third's forecasts
        INDArray halves = pair.output(x).add(three.get(2).output(x)).div(2);
        INDArray even = ForecasterEnsemble.weightedMeanOf(List.of(pair, three.get(2)), List.of(1, 1), OutputHead.MEDIAN)
                .output(x);
        assertEquals(
                0,
                even.sub(halves).norm2Number().doubleValue()
                        / halves.norm2Number().doubleValue(),
                1e-5);
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
