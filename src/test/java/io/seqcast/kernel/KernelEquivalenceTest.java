package io.seqcast.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.SequenceModel;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast kernels against DL4J's own output (the truth) and against {@link KernelModel} (the plain reference), for
 * every cell type the kernels run, widths that are and are not a multiple of the vector length, one and several
 * inputs.
 */
class KernelEquivalenceTest {

    private static final int T = 60;
    private static final int OUT = 6;
    private static final double TOLERANCE = 1e-5;

    enum Kind {
        /** {@link KernelModel}: shows the tolerance holds for the reference too. */
        REFERENCE(w -> null),
        SCALAR(FusedKernel::new),
        VECTOR(VectorKernel::new);

        final Function<FusedWeights, SequenceModel> make;

        Kind(Function<FusedWeights, SequenceModel> make) {
            this.make = make;
        }
    }

    static Stream<Arguments> shapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (CellType cell : List.of(CellType.RNN, CellType.LSTM, CellType.GRU)) {
                for (List<Integer> hidden : List.of(List.of(8), List.of(13, 6), List.of(64, 64), List.of(40, 17, 24))) {
                    for (int inputSize : new int[] {1, 3}) {
                        shapes.add(Arguments.of(kind, cell, hidden, inputSize));
                    }
                }
            }
        }
        return shapes.stream();
    }

    /** The shapes for the fast kernels only (the reference is what they are compared with). */
    static Stream<Arguments> fastShapes() {
        return shapes().filter(a -> a.get()[0] != Kind.REFERENCE);
    }

    @ParameterizedTest(name = "{0} {1} {2} in={3}")
    @MethodSource("shapes")
    void shouldMatchDl4jOutputOverAWholeSequence(Kind kind, CellType cell, List<Integer> hidden, int inputSize) {
        MultiLayerNetwork net = randomNetwork(cell, hidden, inputSize, 21);
        float[][] xs = randomSequence(inputSize, T, 3);
        INDArray expected = net.output(toNcw(xs, inputSize)); // [1, OUT, T]
        SequenceModel model = kind == Kind.REFERENCE
                ? KernelModel.fromNetwork(net, "m", "1")
                : kind.make.apply(FusedWeights.fromNetwork(net, "m", "1"));
        float[][] actual = run(model, xs);
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < OUT; k++) {
                assertEquals(expected.getDouble(0, k, t), actual[t][k], TOLERANCE, "output " + k + " at step " + t);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} in={3}")
    @MethodSource("fastShapes")
    void shouldMatchTheReferenceKernelStateAndOutputStepByStep(
            Kind kind, CellType cell, List<Integer> hidden, int inputSize) {
        MultiLayerNetwork net = randomNetwork(cell, hidden, inputSize, 22);
        SequenceModel reference = KernelModel.fromNetwork(net, "m", "1");
        SequenceModel fast = kind.make.apply(FusedWeights.fromNetwork(net, "m", "1"));
        assertEquals(reference.info(), fast.info());
        assertEquals(reference.stateSize(), fast.stateSize());
        float[] rs = new float[reference.stateSize()];
        float[] fs = new float[fast.stateSize()];
        float[] ro = new float[OUT];
        float[] fo = new float[OUT];
        for (float[] x : randomSequence(inputSize, T, 4)) {
            reference.step(1, x, rs, ro);
            fast.step(1, x, fs, fo);
            assertArrayEquals(rs, fs, (float) TOLERANCE, "state");
            assertArrayEquals(ro, fo, (float) TOLERANCE, "output");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} in={3}")
    @MethodSource("fastShapes")
    void shouldStepABatchBitForBitAsEachSeriesAlone(Kind kind, CellType cell, List<Integer> hidden, int inputSize) {
        SequenceModel model =
                kind.make.apply(FusedWeights.fromNetwork(randomNetwork(cell, hidden, inputSize, 23), "m", "1"));
        int batch = 5;
        int size = model.stateSize();
        float[] states = new float[batch * size];
        float[][] alone = new float[batch][size];
        float[] outs = new float[batch * OUT];
        float[] out = new float[OUT];
        float[] xs = new float[batch * inputSize];
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 20; t++) {
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) r.nextGaussian();
            }
            model.step(batch, xs, states, outs);
            for (int s = 0; s < batch; s++) {
                float[] x = java.util.Arrays.copyOfRange(xs, s * inputSize, (s + 1) * inputSize);
                model.copy().step(1, x, alone[s], out);
                assertArrayEquals(java.util.Arrays.copyOfRange(outs, s * OUT, (s + 1) * OUT), out, "series " + s);
                assertArrayEquals(java.util.Arrays.copyOfRange(states, s * size, (s + 1) * size), alone[s]);
            }
        }
    }

    @Test
    void shouldRefuseBuffersTooSmallForTheBatch() {
        SequenceModel model = Kernels.best(randomNetwork(CellType.LSTM, List.of(8), 1, 1), "m", "1");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> model.step(2, new float[2], new float[16], new float[OUT]));
        assertEquals(true, e.getMessage().contains("outputs >= 12"), e.getMessage());
    }

    @Test
    void shouldPickTheVectorKernelWhenTheModuleIsPresent() {
        SequenceModel model = Kernels.best(randomNetwork(CellType.LSTM, List.of(8), 1, 1), "m", "1");
        assertEquals(Kernels.vectorApiAvailable() ? VectorKernel.class : FusedKernel.class, model.getClass());
    }

    /**
     * Every parameter random, so that a swapped gate or a transposed matrix cannot go unseen; scaled like a trained
     * network's ({@code ±0.6} for 8 units, shrinking as {@code 1/√n}): with {@code ±0.6} at 64 units the network is
     * chaotic and float rounding, in any summation order (DL4J's own included), grows past 1e-5 within 60 steps.
     */
    static MultiLayerNetwork randomNetwork(CellType cell, List<Integer> hidden, int inputSize, long seed) {
        MultiLayerNetwork net = Networks.build(NetworkSpec.of(cell, hidden, inputSize, OUT, seed));
        SplittableRandom random = new SplittableRandom(seed);
        int widest = hidden.stream().mapToInt(Integer::intValue).max().orElse(8);
        double bound = 0.6 * Math.min(1, Math.sqrt(8.0 / widest));
        float[] values = new float[(int) net.params().length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        net.setParams(Nd4j.create(values, new long[] {1, values.length}, 'c'));
        return net;
    }

    static float[][] randomSequence(int inputSize, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] xs = new float[length][inputSize];
        for (float[] x : xs) {
            for (int i = 0; i < inputSize; i++) {
                x[i] = (float) (2 * random.nextGaussian());
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

    static float[][] run(SequenceModel model, float[][] xs) {
        float[] state = new float[model.stateSize()];
        float[][] outs = new float[xs.length][model.info().outputSize()];
        for (int t = 0; t < xs.length; t++) {
            model.step(1, xs[t], state, outs[t]);
        }
        return outs;
    }
}
