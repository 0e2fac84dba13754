package io.seqcast.kernel;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelInfo;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FusedWeights} re-laid out for {@link VectorKernel}: per block of units ({@link FusedWeights.Block}) the units in
 * groups of {@code L} (the vector
 * length), each group's gate columns side by side, the sigmoid gates' columns and biases halved (so that one tanh
 * serves every gate: {@code σ(z) = (1 + tanh(z/2)) / 2}), zero columns padding the last group, and the matrix stored
 * in panels of columns (see {@link #panels}). Built once per model; shared by every copy of the kernel.
 *
 * @param info shape and identity of the network
 * @param layers the recurrent layers, from the input upwards
 * @param outW output layer weights as {@link FusedWeights#outW()}
 * @param outB output layer bias
 */
record VectorWeights(ModelInfo info, List<VectorWeights.Layer> layers, float[] outW, float[] outB) {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /**
     * One recurrent layer.
     *
     * @param n units of the layer
     * @param blocks its blocks of units, as {@link FusedWeights.Layer#blocks()}
     */
    record Layer(int n, List<Block> blocks) {}

    /**
     * One block of units ({@link FusedWeights.Block}: units {@code from ..} reading inputs {@code inFrom ..}): {@code
     * w} is {@code [rows][groups * gates * L]}, the bias likewise interleaved. For GRU, {@code w} and {@code b} hold
     * the reset and update gates ({@code gates} = 2) and {@code wc}, {@code bc} the candidate. {@code wn} and {@code
     * wcn} hold the same matrices in the narrow panels the batched step reads ({@link #narrowPanels}).
     */
    record Block(
            int inFrom,
            int from,
            int nIn,
            int n,
            int gates,
            int groups,
            float[] w,
            float[] b,
            float[] wc,
            float[] bc,
            float[] wn,
            float[] wcn) {
        int rows() {
            return nIn + n;
        }

        int stride() {
            return groups * gates * L;
        }
    }

    static VectorWeights of(FusedWeights weights) {
        List<Layer> layers = weights.layers().stream()
                .map(l -> new Layer(
                        l.n(), l.blocks().stream().map(VectorWeights::block).toList()))
                .toList();
        return new VectorWeights(weights.info(), layers, weights.outW(), weights.outB());
    }

    private static Block block(FusedWeights.Block l) {
        int n = l.n();
        int groups = (n + L - 1) / L;
        int rows = l.nIn() + n;
        if (l.cell() == CellType.GRU) { // GRU: [r | u] interleaved and pre-scaled for σ, the candidate apart
            float[][] ru = interleave(l, groups, 0, 2);
            float[][] c = interleave(l, groups, 2, 1);
            return new Block(
                    l.inFrom(),
                    l.from(),
                    l.nIn(),
                    n,
                    2,
                    groups,
                    panels(ru[0], rows),
                    ru[1],
                    panels(c[0], rows),
                    c[1],
                    narrowPanels(ru[0], rows),
                    narrowPanels(c[0], rows));
        }
        float[][] all = interleave(l, groups, 0, l.gates());
        return new Block(
                l.inFrom(),
                l.from(),
                l.nIn(),
                n,
                l.gates(),
                groups,
                panels(all[0], rows),
                all[1],
                null,
                null,
                narrowPanels(all[0], rows),
                null);
    }

    /**
     * Gates {@code first .. first+count-1} of {@code l}, interleaved by groups of {@code L} units, the columns of the
     * sigmoid gates halved. Returns {@code {w, b}}.
     */
    private static float[][] interleave(FusedWeights.Block l, int groups, int first, int count) {
        int n = l.n();
        int stride = groups * count * L;
        int rows = l.nIn() + n;
        int cols = l.columns();
        float[] w = new float[rows * stride];
        float[] b = new float[stride];
        for (int unit = 0; unit < n; unit++) {
            int g = unit / L;
            int lane = unit % L;
            for (int q = 0; q < count; q++) {
                int gate = first + q;
                int to = (g * count + q) * L + lane;
                int from = gate * n + unit;
                // σ(z) = (1 + tanh(z/2)) / 2; halving a float is exact.
                float scale = l.cell().sigmoidGate(gate) ? 0.5f : 1f;
                b[to] = l.b()[from] * scale;
                for (int r = 0; r < rows; r++) {
                    w[r * stride + to] = l.w()[r * cols + from] * scale;
                }
            }
        }
        return new float[][] {w, b};
    }

    /**
     * The row-major {@code [rows][stride]} matrix {@code w} as the panels {@link VectorKernel} reads: column blocks of
     * {@code 8L}, then one of {@code 4L} if one fits in what is left, then of {@code L}, each stored
     * {@code [rows][width]} contiguously.
     * A pass over a panel then reads memory in order, its loads at {@code k * width + constant} for the row
     * {@code k}, a form the JIT's range check elimination handles (measured: 5 to 10% faster than the row-major
     * layout, and turning the Vector API's bounds checks off gains nothing more).
     */
    private static float[] panels(float[] w, int rows) {
        return panels(w, rows, 8 * L, 4 * L, L);
    }

    /**
     * {@code w} in panels of {@code 2L} columns (then one of {@code L}), as {@link VectorKernel}'s batched step reads
     * them: it holds two vectors of columns for each of several series in registers, so each weight vector loaded
     * serves every series of the pass.
     */
    private static float[] narrowPanels(float[] w, int rows) {
        return panels(w, rows, 2 * L, L);
    }

    private static float[] panels(float[] w, int rows, int... widths) {
        int stride = w.length / rows;
        float[] p = new float[w.length];
        int at = 0;
        int col = 0;
        for (int width : widths) {
            for (; col + width <= stride; col += width) {
                for (int k = 0; k < rows; k++) {
                    System.arraycopy(w, k * stride + col, p, at, width);
                    at += width;
                }
            }
        }
        return p;
    }
}
