package io.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

public class KernelModelTest {

    private static final int T = 50;
    private static final int OUT = 4;
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> shapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (List<Integer> hidden : List.of(List.of(8), List.of(8, 6))) {
                for (int inputSize : new int[] {1, 3}) {
                    shapes.add(Arguments.of(cell, hidden, inputSize));
                }
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0} {1} in={2}")
    @MethodSource("shapes")
    void shouldMatchDl4jOutputOverWholeSequence(CellType cell, List<Integer> hidden, int inputSize) {
        MultiLayerNetwork net = randomNetwork(cell, hidden, inputSize, 11);
        float[][] xs = randomSequence(inputSize, T, 5);
        INDArray expected = net.output(toNcw(xs, inputSize)); // [1, OUT, T]

        float[][] actual = runKernel(KernelModel.fromNetwork(net, "m", "1"), xs);

        for (int t = 0; t < T; t++) {
            for (int k = 0; k < OUT; k++) {
                assertEquals(expected.getDouble(0, k, t), actual[t][k], TOLERANCE, "output " + k + " at step " + t);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} in={2}")
    @MethodSource("shapes")
    void shouldMatchDl4jRnnTimeStepStepByStep(CellType cell, List<Integer> hidden, int inputSize) {
        MultiLayerNetwork net = randomNetwork(cell, hidden, inputSize, 12);
        float[][] xs = randomSequence(inputSize, T, 6);
        float[][] actual = runKernel(KernelModel.fromNetwork(net, "m", "1"), xs);

        net.rnnClearPreviousState();
        for (int t = 0; t < T; t++) {
            INDArray step = Nd4j.create(new float[][] {xs[t]}); // [1, nIn]
            INDArray out = net.rnnTimeStep(step); // [1, OUT]
            for (int k = 0; k < OUT; k++) {
                assertEquals(out.getDouble(0, k), actual[t][k], TOLERANCE, "output " + k + " at step " + t);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} in={2}")
    @MethodSource("shapes")
    void shouldStepABatchExactlyAsEachSeriesAlone(CellType cell, List<Integer> hidden, int inputSize) {
        KernelModel model = KernelModel.fromNetwork(randomNetwork(cell, hidden, inputSize, 13), "m", "1");
        int batch = 5;
        float[][][] series = new float[batch][][];
        float[][][] alone = new float[batch][][];
        for (int s = 0; s < batch; s++) {
            series[s] = randomSequence(inputSize, T, 100 + s);
            alone[s] = runKernel(model.copy(), series[s]);
        }

        int stateSize = model.stateSize();
        float[] states = new float[batch * stateSize];
        float[] inputs = new float[batch * inputSize];
        float[] outputs = new float[batch * OUT];
        for (int t = 0; t < T; t++) {
            for (int s = 0; s < batch; s++) {
                System.arraycopy(series[s][t], 0, inputs, s * inputSize, inputSize);
            }
            model.step(batch, inputs, states, outputs);
            for (int s = 0; s < batch; s++) {
                float[] own = new float[OUT];
                System.arraycopy(outputs, s * OUT, own, 0, OUT);
                assertArrayEquals(alone[s][t], own, "series " + s + " at step " + t);
            }
        }
    }

    @Test
    void shouldDescribeTheNetworkItRuns() {
        KernelModel model = KernelModel.fromNetwork(randomNetwork(CellType.LSTM, List.of(8, 6), 3, 1), "load", "7");
        assertEquals(new ModelInfo("load", "7", CellType.LSTM, List.of(8, 6), 3, OUT), model.info());
        assertEquals(2 * (8 + 6), model.stateSize());
        KernelModel copy = model.copy();
        assertNotSame(model, copy);
        assertEquals(model.info(), copy.info());
    }

    @Test
    void shouldRefuseUndersizedBuffersNamingTheSizes() {
        KernelModel model = KernelModel.fromNetwork(randomNetwork(CellType.RNN, List.of(4), 1, 1), "m", "1");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> model.step(2, new float[2], new float[4], new float[OUT]));
        assertTrue(e.getMessage().contains("outputs >= 8"), e.getMessage());
    }

    /** A network whose every parameter is random, so that a swapped gate or transposed matrix cannot go unseen. */
    static MultiLayerNetwork randomNetwork(CellType cell, List<Integer> hidden, int inputSize, long seed) {
        MultiLayerNetwork net = Networks.build(NetworkSpec.of(cell, hidden, inputSize, OUT, seed));
        SplittableRandom random = new SplittableRandom(seed);
        INDArray params = net.params();
        float[] values = new float[(int) params.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-0.6, 0.6);
        }
        net.setParams(Nd4j.create(values, new long[] {1, values.length}, 'c'));
        return net;
    }

    static float[][] randomSequence(int inputSize, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] xs = new float[length][inputSize];
        for (float[] x : xs) {
            for (int i = 0; i < inputSize; i++) {
                x[i] = (float) random.nextGaussian();
            }
        }
        return xs;
    }

    static INDArray toNcw(float[][] xs, int inputSize) {
        INDArray x = Nd4j.create(DataType.FLOAT, 1, inputSize, xs.length);
        for (int t = 0; t < xs.length; t++) {
            for (int i = 0; i < inputSize; i++) {
                x.putScalar(new long[] {0, i, t}, xs[t][i]);
            }
        }
        return x;
    }

    /** Steps one series from the zero state; returns the output of every step. */
    public static float[][] runKernel(SequenceModel model, float[][] xs) {
        float[] state = new float[model.stateSize()];
        float[][] outs = new float[xs.length][model.info().outputSize()];
        for (int t = 0; t < xs.length; t++) {
            model.step(1, xs[t], state, outs[t]);
        }
        return outs;
    }
}
