package io.seqcast.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.model.CellType;
import io.seqcast.model.SequenceModel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batched step ({@link VectorKernel}'s passes of {@link VectorKernel#SERIES} series over the weights, with the
 * series left over stepped alone) gives every series the bits the per-event step gives it: random weights, random
 * inputs and random starting states, batch sizes below, at and around multiples of the pass and of the step's blocks
 * (ragged tails), several steps so that a difference would carry on in the state.
 */
class BatchedStepTest {

    private static final int[] BATCHES = {1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 63, 65, 256};

    @ParameterizedTest(name = "{0} {1} in={2}")
    @CsvSource({
        "LSTM, '64,64', 1",
        "LSTM, '13,6', 3",
        "LSTM, '40,17,24', 2",
        "GRU, '64,64', 1",
        "GRU, '13,6', 3",
        "GRU, '40,17,24', 2",
        "RNN, '64,64', 1",
        "RNN, '13,6', 3"
    })
    void shouldGiveEverySeriesOfABatchTheBitsOfItsPerEventStep(CellType cell, String hiddenList, int inputSize) {
        List<Integer> hidden =
                Arrays.stream(hiddenList.split(",")).map(Integer::valueOf).toList();
        assertBatchesGiveEachSeriesItsBits(
                FusedWeights.fromNetwork(KernelEquivalenceTest.randomNetwork(cell, hidden, inputSize, 31), "m", "1"),
                cell.ordinal() * 1000L + hidden.size());
    }

    /** The same for layers stepped block by block (an ensemble's block-diagonal layers: {@link FusedWeights.Block}). */
    @ParameterizedTest(name = "{0} blocks {1} in={2}")
    @CsvSource({"LSTM, '32,32,32', 2", "GRU, '16,24', 1", "RNN, '20,17', 3"})
    void shouldGiveEverySeriesOfABatchTheBitsOfItsPerEventStepBlockByBlock(
            CellType cell, String blockList, int inputSize) {
        List<Integer> widths =
                Arrays.stream(blockList.split(",")).map(Integer::valueOf).toList();
        FusedWeights weights = FusedWeights.of(BlockDiagonalStepTest.blockDiagonal(cell, widths, 2, inputSize, 32));
        assertEquals(widths.size(), weights.layers().get(1).blocks().size());
        assertBatchesGiveEachSeriesItsBits(weights, cell.ordinal() * 1000L + widths.size());
    }

    private static void assertBatchesGiveEachSeriesItsBits(FusedWeights weights, long seed) {
        int inputSize = weights.info().inputSize();
        for (Function<FusedWeights, SequenceModel> make :
                List.<Function<FusedWeights, SequenceModel>>of(VectorKernel::new, FusedKernel::new)) {
            SequenceModel batched = make.apply(weights);
            SequenceModel alone = batched.copy();
            int size = batched.stateSize();
            int out = batched.info().outputSize();
            SplittableRandom random = new SplittableRandom(seed);
            for (int batch : BATCHES) {
                float[] states = new float[batch * size];
                for (int i = 0; i < states.length; i++) {
                    states[i] = (float) random.nextDouble(-1, 1);
                }
                float[] each = states.clone();
                float[] xs = new float[batch * inputSize];
                float[] outs = new float[batch * out];
                float[] one = new float[out];
                for (int t = 0; t < 4; t++) {
                    for (int i = 0; i < xs.length; i++) {
                        xs[i] = (float) (2 * random.nextGaussian());
                    }
                    batched.step(batch, xs, states, outs);
                    for (int s = 0; s < batch; s++) {
                        float[] x = Arrays.copyOfRange(xs, s * inputSize, (s + 1) * inputSize);
                        float[] state = Arrays.copyOfRange(each, s * size, (s + 1) * size);
                        alone.step(1, x, state, one);
                        System.arraycopy(state, 0, each, s * size, size);
                        String where =
                                batched.getClass().getSimpleName() + " batch " + batch + " series " + s + " step " + t;
                        assertBits(one, Arrays.copyOfRange(outs, s * out, (s + 1) * out), where + " output");
                        assertBits(state, Arrays.copyOfRange(states, s * size, (s + 1) * size), where + " state");
                    }
                }
            }
        }
    }

    private static void assertBits(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(expected[i]),
                    Float.floatToRawIntBits(actual[i]),
                    where + " [" + i + "]: " + expected[i] + " vs " + actual[i]);
        }
    }
}
