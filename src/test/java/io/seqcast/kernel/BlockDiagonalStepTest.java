package io.seqcast.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.NetworkWeights;
import io.seqcast.model.SequenceModel;
import io.seqcast.training.ForecasterEnsemble;
import io.seqcast.training.OutputHead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A layer whose weights are block-diagonal (an ensemble's: {@link ForecasterEnsemble}) is stepped block by block
 * ({@link FusedWeights#of}), and gives the states and outputs of the dense step over the whole matrix ({@link
 * FusedWeights#dense}) within 1e-5, with both fast kernels, from random weights and random starting states, a batch
 * that covers the vector kernel's passes and the series left over.
 */
class BlockDiagonalStepTest {

    private static final double TOLERANCE = 1e-5;
    private static final int OUT = 6;
    private static final int BATCH = 6;

    private static final List<Function<FusedWeights, SequenceModel>> KERNELS =
            List.of(VectorKernel::new, FusedKernel::new);

    @ParameterizedTest(name = "{0} blocks {1} x{2} in={3}")
    @CsvSource({
        "LSTM, '32,32,32', 2, 2",
        "LSTM, '16,24,20', 3, 1",
        "GRU, '32,32,32', 2, 2",
        "GRU, '16,24,20', 2, 3",
        "RNN, '32,32,32', 2, 2",
        "RNN, '17,40', 3, 1"
    })
    void shouldStepEachBlockAsTheDenseMatrixSteps(CellType cell, String blockList, int layers, int inputSize) {
        List<Integer> widths =
                Arrays.stream(blockList.split(",")).map(Integer::valueOf).toList();
        NetworkWeights weights = blockDiagonal(cell, widths, layers, inputSize, 41);
        FusedWeights blocked = FusedWeights.of(weights);
        for (FusedWeights.Layer layer : blocked.layers()) {
            assertEquals(
                    widths, layer.blocks().stream().map(FusedWeights.Block::n).toList(), "blocks found");
        }
        assertSameSteps(blocked, FusedWeights.dense(weights), 42);
    }

    @Test
    void shouldFindAnEnsemblesMembersAndTheInputsEachReads() {
        List<MultiLayerNetwork> members = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            members.add(KernelEquivalenceTest.randomNetwork(CellType.LSTM, List.of(32, 32), 2, seed));
        }
        MultiLayerNetwork ensemble = ForecasterEnsemble.averageOf(members, OutputHead.REGRESSION);
        NetworkWeights weights = NetworkWeights.fromNetwork(ensemble, "e", "1");
        FusedWeights blocked = FusedWeights.of(weights);
        assertEquals(List.of(List.of("0+2 -> 0+32", "0+2 -> 32+32", "0+2 -> 64+32")), ranges(blocked, 0));
        assertEquals(List.of(List.of("0+32 -> 0+32", "32+32 -> 32+32", "64+32 -> 64+32")), ranges(blocked, 1));
        assertSameSteps(blocked, FusedWeights.dense(weights), 43);
    }

    @Test
    void shouldMergeBlocksNarrowerThanTheMinimumWithTheirNeighbours() {
        NetworkWeights weights = blockDiagonal(CellType.LSTM, List.of(8, 8, 8, 8, 4), 1, 1, 44);
        FusedWeights blocked = FusedWeights.of(weights);
        assertEquals(
                List.of(16, 20),
                blocked.layers().get(0).blocks().stream()
                        .map(FusedWeights.Block::n)
                        .toList());
        assertSameSteps(blocked, FusedWeights.dense(weights), 45);
    }

    @Test
    void shouldKeepADenseLayerOneBlock() {
        FusedWeights fused = FusedWeights.fromNetwork(
                KernelEquivalenceTest.randomNetwork(CellType.LSTM, List.of(64, 40), 2, 46), "m", "1");
        for (FusedWeights.Layer layer : fused.layers()) {
            assertEquals(1, layer.blocks().size());
            assertEquals(layer.n(), layer.blocks().get(0).n());
        }
    }

    /** Each block of layer {@code l} as {@code "inFrom+nIn -> from+n"}. */
    private static List<List<String>> ranges(FusedWeights weights, int l) {
        return List.of(weights.layers().get(l).blocks().stream()
                .map(b -> b.inFrom() + "+" + b.nIn() + " -> " + b.from() + "+" + b.n())
                .toList());
    }

    /** Both kernels of {@code blocked} against the same kernel of {@code dense}, state and output, step by step. */
    private static void assertSameSteps(FusedWeights blocked, FusedWeights dense, long seed) {
        for (Function<FusedWeights, SequenceModel> make : KERNELS) {
            SequenceModel fast = make.apply(blocked);
            SequenceModel full = make.apply(dense);
            String kernel = fast.getClass().getSimpleName();
            SplittableRandom random = new SplittableRandom(seed);
            int in = fast.info().inputSize();
            float[] states = new float[BATCH * fast.stateSize()];
            for (int i = 0; i < states.length; i++) {
                states[i] = (float) random.nextDouble(-1, 1);
            }
            float[] denseStates = states.clone();
            float[] xs = new float[BATCH * in];
            float[] outs = new float[BATCH * OUT];
            float[] denseOuts = new float[BATCH * OUT];
            for (int t = 0; t < 30; t++) {
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) (2 * random.nextGaussian());
                }
                fast.step(BATCH, xs, states, outs);
                full.step(BATCH, xs, denseStates, denseOuts);
                assertArrayEquals(denseStates, states, (float) TOLERANCE, kernel + " state at step " + t);
                assertArrayEquals(denseOuts, outs, (float) TOLERANCE, kernel + " output at step " + t);
            }
        }
    }

    /**
     * Random weights in {@code layers} layers of blocks of {@code widths} units: layer 0's blocks read every input,
     * a block of a layer above reads its own block of the layer below; every weight between blocks is zero. Scaled
     * like {@link KernelEquivalenceTest#randomNetwork}'s by the width of a block (what each unit sums over).
     */
    static NetworkWeights blockDiagonal(CellType cell, List<Integer> widths, int layers, int inputSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = widths.stream().mapToInt(Integer::intValue).sum();
        int gates = cell.gates();
        int cols = gates * n;
        List<NetworkWeights.Layer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int nIn = l == 0 ? inputSize : n;
            float[] w = new float[nIn * cols];
            float[] rw = new float[n * cols];
            float[] b = new float[cols];
            int from = 0;
            for (int width : widths) {
                double bound = 0.6 * Math.min(1, Math.sqrt(8.0 / width));
                for (int g = 0; g < gates; g++) {
                    for (int j = from; j < from + width; j++) {
                        int col = g * n + j;
                        b[col] = (float) random.nextDouble(-bound, bound);
                        for (int r = l == 0 ? 0 : from; r < (l == 0 ? nIn : from + width); r++) {
                            w[r * cols + col] = (float) random.nextDouble(-bound, bound);
                        }
                        for (int r = from; r < from + width; r++) {
                            rw[r * cols + col] = (float) random.nextDouble(-bound, bound);
                        }
                    }
                }
                from += width;
            }
            out.add(new NetworkWeights.Layer(nIn, n, cell, w, rw, b));
        }
        float[] outW = new float[n * OUT];
        float[] outB = new float[OUT];
        for (int i = 0; i < outW.length; i++) {
            outW[i] = (float) random.nextDouble(-0.2, 0.2);
        }
        ModelInfo info = new ModelInfo("blocks", "1", cell, java.util.Collections.nCopies(layers, n), inputSize, OUT);
        return new NetworkWeights(info, out, outW, outB, false);
    }
}
