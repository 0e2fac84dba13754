package io.seqcast.kernel;

import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.NetworkWeights;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained network's weights in the layout {@link FusedKernel} runs: each recurrent layer split into blocks of units
 * that read only their own recurrent state ({@link Block}; one block for a dense layer, several for the block-diagonal
 * layers of an ensemble built by {@link io.seqcast.training.ForecasterEnsemble}), each block one fused matrix
 * {@code [W; RW]} of {@code (nIn + n)} rows by {@code gates * n} columns, row-major, so that one pass over the
 * concatenated vector {@code [x; h]} gives every gate's pre-activation (for GRU, the candidate's recurrent rows
 * multiply {@code r ⊙ h} instead of {@code h}); the columns keep DL4J's gate blocks (LSTM: cell input, forget,
 * output, input gate; GRU: reset, update, candidate), each block {@code n} contiguous units, so the cell update runs over
 * contiguous memory. Immutable once built; shared by every kernel made from it.
 *
 * @param info shape and identity of the network
 * @param layers the recurrent layers, from the input upwards
 * @param outW output layer weights, {@code [outIn][outSize]} row-major
 * @param outB output layer bias
 */
public record FusedWeights(ModelInfo info, List<FusedWeights.Layer> layers, float[] outW, float[] outB) {

    /**
     * One recurrent layer: its units in blocks, in unit order, together covering each unit once.
     *
     * @param n units of the layer (its state holds {@code h} of {@code n} floats, then for LSTM {@code c})
     * @param blocks the independent blocks of units
     */
    public record Layer(int n, List<Block> blocks) {
        public Layer {
            blocks = List.copyOf(blocks);
        }
    }

    /**
     * Units {@code from .. from + n - 1} of a layer, whose gates read the layer's inputs {@code inFrom .. inFrom + nIn
     * - 1} and the recurrent state of these units only: every other weight into their gate columns is zero, so
     * stepping the block alone gives what the whole layer's matrix gives them, without multiplying the zeros.
     *
     * @param inFrom first input of the layer the block reads
     * @param nIn inputs the block reads
     * @param from first unit of the block
     * @param n units of the block
     * @param cell the layer's cell ({@link CellType#gates()} blocks of {@code n} columns)
     * @param w {@code [(nIn + n)][gates * n]} row-major: the input weights' rows, then the recurrent weights' rows
     * @param b {@code gates * n} biases
     */
    public record Block(int inFrom, int nIn, int from, int n, CellType cell, float[] w, float[] b) {
        int gates() {
            return cell.gates();
        }

        int columns() {
            return cell.gates() * n;
        }
    }

    /**
     * Blocks narrower than this are merged with their neighbour: a vector kernel pads a block to whole vectors, and
     * a narrow one would step mostly padding.
     */
    static final int MIN_BLOCK_UNITS = 16;

    public FusedWeights {
        layers = List.copyOf(layers);
    }

    /**
     * {@code weights} fused, each layer split into its independent blocks of units ({@link UnitBlocks}): a network
     * with block-diagonal layers is stepped block by block. Values unchanged.
     *
     * @throws IllegalArgumentException for a softmax output layer, which only {@link KernelModel} runs
     */
    public static FusedWeights of(NetworkWeights weights) {
        return fuse(weights, true);
    }

    /**
     * {@code weights} fused, each layer one block whatever zeros its matrices hold: the layout before blocks were
     * found, kept so that tests and benchmarks can compare the two.
     *
     * @throws IllegalArgumentException for a softmax output layer, which only {@link KernelModel} runs
     */
    public static FusedWeights dense(NetworkWeights weights) {
        return fuse(weights, false);
    }

    private static FusedWeights fuse(NetworkWeights weights, boolean split) {
        if (weights.softmax()) {
            throw new IllegalArgumentException("network " + weights.info().name()
                    + " has a softmax output layer, which the fast kernels do not run; run it with KernelModel");
        }
        List<Layer> layers = new ArrayList<>();
        for (NetworkWeights.Layer l : weights.layers()) {
            List<int[]> ranges =
                    split ? UnitBlocks.ranges(l, MIN_BLOCK_UNITS) : List.of(new int[] {0, l.nIn(), 0, l.n()});
            List<Block> blocks = new ArrayList<>();
            for (int[] r : ranges) {
                blocks.add(block(l, r[0], r[1], r[2], r[3]));
            }
            layers.add(new Layer(l.n(), blocks));
        }
        return new FusedWeights(weights.info(), layers, weights.outW(), weights.outB());
    }

    /** The fused block of units {@code from .. from + n - 1} reading inputs {@code inFrom .. inFrom + nIn - 1}. */
    private static Block block(NetworkWeights.Layer l, int inFrom, int nIn, int from, int n) {
        int gates = l.cell().gates();
        int layerCols = l.columns();
        int cols = gates * n;
        float[] fused = new float[(nIn + n) * cols];
        float[] b = new float[cols];
        for (int g = 0; g < gates; g++) {
            int src = g * l.n() + from;
            int dst = g * n;
            System.arraycopy(l.b(), src, b, dst, n);
            for (int r = 0; r < nIn; r++) {
                System.arraycopy(l.w(), (inFrom + r) * layerCols + src, fused, r * cols + dst, n);
            }
            for (int r = 0; r < n; r++) {
                System.arraycopy(l.rw(), (from + r) * layerCols + src, fused, (nIn + r) * cols + dst, n);
            }
        }
        return new Block(inFrom, nIn, from, n, l.cell(), fused, b);
    }

    /**
     * Exports the weights of {@code net} ({@link NetworkWeights#fromNetwork}) and fuses them ({@link #of}).
     *
     * @throws IllegalArgumentException naming the layer when the network has another layout, or a softmax output
     */
    public static FusedWeights fromNetwork(MultiLayerNetwork net, String name, String version) {
        return of(NetworkWeights.fromNetwork(net, name, version));
    }
}
