package io.seqcast.kernel;

import io.seqcast.model.CellType;
import io.seqcast.model.StepKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fastest step kernel, written with the JDK Vector API ({@code jdk.incubator.vector}: the JVM needs {@code
 * --add-modules jdk.incubator.vector}; {@link Kernels#best} falls back to {@link FusedKernel} without it).
 *
 * <p>Weights are re-laid out ({@link VectorWeights}) so that each group of {@code L} units, {@code L} being the
 * preferred species' lane count (8 floats on AVX2, 16 on AVX-512), has its gate columns side by side: for an LSTM
 * {@code [cell input | forget | output | input gate]} of units {@code L*g .. L*g + L-1}, one vector of {@code L}
 * columns per gate; the matrix is stored in panels of eight vectors ({@code 8L} columns), each panel's rows
 * contiguous. The kernel accumulates eight vectors of columns (two LSTM groups) at a time over every row of
 * {@code [x; h]} in registers (eight independent FMA chains, no store of partial sums), then stores the
 * pre-activations; one vector loop then takes tanh of every column (the sigmoid gates' columns are pre-scaled by 1/2
 * at export, since {@code σ(z) = (1 + tanh(z/2)) / 2}) and another applies the cell update. The phases are separate
 * loops without calls so that the JIT keeps every vector in a register (a vector passed to a method it does not
 * inline is boxed: measured ten times slower). The activation is {@link FastMath}'s rational tanh in vector form.
 * Layer widths that are not a multiple of {@code L} are padded with zero columns and masked on store.
 *
 * <p>A layer whose units fall into independent blocks ({@link FusedWeights.Block}: the block-diagonal layers of an
 * ensemble) is stepped block by block, each block laid out as above on its own, so the zero weights between blocks are
 * never multiplied.
 *
 * <p>A batch ({@link #advanceBatch}) goes {@link #SERIES} series per pass over the weights, read from narrow panels
 * of two vectors of columns so that each weight vector loaded serves every series of the pass; each series' result is
 * bit for bit its per-event one (same operations, same order).
 *
 * <p>Agrees with DL4J within 1e-5 (tested for RNN, LSTM and GRU). Not thread-safe: one {@link #copy()} per thread.
 */
public final class VectorKernel extends StepKernel {

    private static final VectorSpecies<Float> S = VectorWeights.S;
    private static final int L = VectorWeights.L;

    private final VectorWeights weights;
    /** Units of each layer. */
    private final int[] widths;
    /** The blocks of each layer ({@link FusedWeights.Block}), each stepped on its own. */
    private final VectorWeights.Block[][] blocks;

    private final boolean lstm;
    private final boolean gru;
    private final float[] v;
    private final float[] z;
    /** GRU candidate pre-activations. */
    private final float[] zc;
    /** The batched step's {@code v}, {@code z} and {@code zc} of each series of a pass ({@link #SERIES} of them). */
    private final float[][] vs;

    private final float[][] zs;
    private final float[][] zcs;

    /** The output layer's weights and bias, padded by {@code L} zeros so that a vector load never runs past them. */
    private final float[] outW;

    private final float[] outB;
    /** The last, partial vector of outputs. */
    private final float[] tail = new float[L];

    /** Series a pass of the batched step advances together, each weight vector loaded once for all of them. */
    static final int SERIES = 4;

    public VectorKernel(FusedWeights weights) {
        this(VectorWeights.of(weights));
    }

    private VectorKernel(VectorWeights weights) {
        super(weights.info(), weights.outW(), weights.outB(), false);
        this.weights = weights;
        this.widths = weights.layers().stream().mapToInt(VectorWeights.Layer::n).toArray();
        this.blocks = weights.layers().stream()
                .map(l -> l.blocks().toArray(VectorWeights.Block[]::new))
                .toArray(VectorWeights.Block[][]::new);
        this.lstm = weights.info().cell() == CellType.LSTM;
        this.gru = weights.info().cell() == CellType.GRU;
        int rows = 0;
        int cols = 0;
        for (VectorWeights.Block[] layer : blocks) {
            for (VectorWeights.Block l : layer) {
                rows = Math.max(rows, l.rows() + L); // + L: masked stores of r⊙h may address past n
                cols = Math.max(cols, l.stride());
            }
        }
        this.v = new float[rows];
        this.z = new float[cols];
        this.zc = new float[cols];
        this.vs = new float[SERIES][rows];
        this.zs = new float[SERIES][cols];
        this.zcs = new float[SERIES][cols];
        this.outW = java.util.Arrays.copyOf(weights.outW(), weights.outW().length + L);
        this.outB = java.util.Arrays.copyOf(weights.outB(), weights.outB().length + L);
    }

    /**
     * The output layer a vector of outputs at a time: lane {@code j} adds {@code x[i] * W[i][j]} (a rounded product,
     * then a rounded sum, no fused multiply-add) in the order of {@code i}, the same operations as the scalar loop.
     */
    @Override
    protected void outputLayer(float[] x, int xOff, float[] outputs, int outOff) {
        float[] ow = outW;
        int size = outB.length - L;
        int outIn = (ow.length - L) / size;
        for (int j = 0; j < size; j += L) {
            FloatVector acc = FloatVector.fromArray(S, outB, j);
            for (int i = 0; i < outIn; i++) {
                acc = acc.add(FloatVector.fromArray(S, ow, i * size + j).mul(x[xOff + i]));
            }
            if (j + L <= size) {
                acc.intoArray(outputs, outOff + j);
            } else { // a masked store takes the Vector API's slow path on AVX2 (measured)
                acc.intoArray(tail, 0);
                System.arraycopy(tail, 0, outputs, outOff + j, size - j);
            }
        }
    }

    /** The vector length in floats this JVM runs the kernel with (8 with AVX2, 16 with AVX-512). */
    public static int lanes() {
        return L;
    }

    /** Each block of the layer in turn: a block reads no unit of another, so the order does not matter. */
    @Override
    protected void advance(int layer, float[] x, int xOff, float[] states, int hOff) {
        for (VectorWeights.Block l : blocks[layer]) {
            int h = hOff + l.from();
            System.arraycopy(x, xOff + l.inFrom(), v, 0, l.nIn());
            System.arraycopy(states, h, v, l.nIn(), l.n());
            matmul(l.w(), l.b(), l.rows(), l.stride(), v, z);
            tanhAll(z, l.stride());
            if (gru) {
                gruReset(l, z, v, states, h);
                matmul(l.wc(), l.bc(), l.rows(), l.groups() * L, v, zc);
                gruUpdate(l, z, zc, states, h);
            } else if (lstm) {
                lstmCells(l, z, states, h, hOff + widths[layer] + l.from());
            } else {
                rnnCells(l, z, states, h);
            }
        }
    }

    /**
     * {@link #SERIES} series at a time: their {@code z = [x; h] W + b} in one pass over the weights ({@link #matmul4}),
     * then each series' activations and cell update as {@link #advance} does them. A series' arithmetic is the same
     * operations in the same order as alone (each column's sum runs over the rows in order from the bias), so its
     * result is bit for bit the same; the series left over (fewer than {@link #SERIES}) go one at a time.
     */
    @Override
    protected void advanceBatch(
            int layer, int count, float[] x, int xOff, int xStride, float[] states, int hOff, int hStride) {
        int i = 0;
        for (; i + SERIES <= count; i += SERIES) {
            for (VectorWeights.Block l : blocks[layer]) {
                for (int s = 0; s < SERIES; s++) {
                    System.arraycopy(x, xOff + (i + s) * xStride + l.inFrom(), vs[s], 0, l.nIn());
                    System.arraycopy(states, hOff + (i + s) * hStride + l.from(), vs[s], l.nIn(), l.n());
                }
                matmul4(l.wn(), l.b(), l.rows(), l.stride(), zs);
                for (int s = 0; s < SERIES; s++) {
                    tanhAll(zs[s], l.stride());
                }
                int h0 = hOff + i * hStride + l.from();
                if (gru) {
                    for (int s = 0; s < SERIES; s++) {
                        gruReset(l, zs[s], vs[s], states, h0 + s * hStride);
                    }
                    matmul4(l.wcn(), l.bc(), l.rows(), l.groups() * L, zcs);
                    for (int s = 0; s < SERIES; s++) {
                        gruUpdate(l, zs[s], zcs[s], states, h0 + s * hStride);
                    }
                } else if (lstm) {
                    for (int s = 0; s < SERIES; s++) {
                        int h = h0 + s * hStride;
                        lstmCells(l, zs[s], states, h, h + widths[layer]);
                    }
                } else {
                    for (int s = 0; s < SERIES; s++) {
                        rnnCells(l, zs[s], states, h0 + s * hStride);
                    }
                }
            }
        }
        for (; i < count; i++) {
            advance(layer, x, xOff + i * xStride, states, hOff + i * hStride);
        }
    }

    /**
     * {@link #matmul} for the four series of {@link #vs} into {@link #zs}-like {@code out}, {@code w} in {@link
     * VectorWeights}' narrow panels: two vectors of columns of the four series (eight accumulators) over every row,
     * each weight vector loaded once for the four. Each accumulator's chain is {@link #matmul}'s for that column.
     */
    private void matmul4(float[] w, float[] b, int rows, int stride, float[][] out) {
        float[] va = vs[0];
        float[] vb = vs[1];
        float[] vc = vs[2];
        float[] vd = vs[3];
        float[] za = out[0];
        float[] zb = out[1];
        float[] zc = out[2];
        float[] zd = out[3];
        int col = 0;
        int panel = 0;
        for (; col + 2 * L <= stride; col += 2 * L, panel += rows * 2 * L) {
            FloatVector a0 = FloatVector.fromArray(S, b, col);
            FloatVector a1 = FloatVector.fromArray(S, b, col + L);
            FloatVector b0 = a0;
            FloatVector b1 = a1;
            FloatVector c0 = a0;
            FloatVector c1 = a1;
            FloatVector d0 = a0;
            FloatVector d1 = a1;
            for (int k = 0; k < rows; k++) {
                int r = panel + k * (2 * L);
                FloatVector w0 = FloatVector.fromArray(S, w, r);
                FloatVector w1 = FloatVector.fromArray(S, w, r + L);
                FloatVector x = FloatVector.broadcast(S, va[k]);
                a0 = w0.fma(x, a0);
                a1 = w1.fma(x, a1);
                x = FloatVector.broadcast(S, vb[k]);
                b0 = w0.fma(x, b0);
                b1 = w1.fma(x, b1);
                x = FloatVector.broadcast(S, vc[k]);
                c0 = w0.fma(x, c0);
                c1 = w1.fma(x, c1);
                x = FloatVector.broadcast(S, vd[k]);
                d0 = w0.fma(x, d0);
                d1 = w1.fma(x, d1);
            }
            a0.intoArray(za, col);
            a1.intoArray(za, col + L);
            b0.intoArray(zb, col);
            b1.intoArray(zb, col + L);
            c0.intoArray(zc, col);
            c1.intoArray(zc, col + L);
            d0.intoArray(zd, col);
            d1.intoArray(zd, col + L);
        }
        for (; col < stride; col += L, panel += rows * L) {
            FloatVector a0 = FloatVector.fromArray(S, b, col);
            FloatVector b0 = a0;
            FloatVector c0 = a0;
            FloatVector d0 = a0;
            for (int k = 0; k < rows; k++) {
                FloatVector w0 = FloatVector.fromArray(S, w, panel + k * L);
                a0 = w0.fma(FloatVector.broadcast(S, va[k]), a0);
                b0 = w0.fma(FloatVector.broadcast(S, vb[k]), b0);
                c0 = w0.fma(FloatVector.broadcast(S, vc[k]), c0);
                d0 = w0.fma(FloatVector.broadcast(S, vd[k]), d0);
            }
            a0.intoArray(za, col);
            b0.intoArray(zb, col);
            c0.intoArray(zc, col);
            d0.intoArray(zd, col);
        }
    }

    /**
     * {@code z = [x; h] W + b} over the interleaved columns, {@code w} in {@link #panels}: eight (then four, then one)
     * vectors of columns at a time, each accumulated over every row in registers. Kept free of calls so that no
     * vector leaves a register.
     */
    private static void matmul(float[] w, float[] b, int rows, int stride, float[] vv, float[] zz) {
        int col = 0;
        int panel = 0;
        for (; col + 8 * L <= stride; col += 8 * L, panel += rows * 8 * L) {
            FloatVector z0 = FloatVector.fromArray(S, b, col);
            FloatVector z1 = FloatVector.fromArray(S, b, col + L);
            FloatVector z2 = FloatVector.fromArray(S, b, col + 2 * L);
            FloatVector z3 = FloatVector.fromArray(S, b, col + 3 * L);
            FloatVector z4 = FloatVector.fromArray(S, b, col + 4 * L);
            FloatVector z5 = FloatVector.fromArray(S, b, col + 5 * L);
            FloatVector z6 = FloatVector.fromArray(S, b, col + 6 * L);
            FloatVector z7 = FloatVector.fromArray(S, b, col + 7 * L);
            for (int k = 0; k < rows; k++) {
                int r = panel + k * (8 * L);
                FloatVector x = FloatVector.broadcast(S, vv[k]);
                z0 = FloatVector.fromArray(S, w, r).fma(x, z0);
                z1 = FloatVector.fromArray(S, w, r + L).fma(x, z1);
                z2 = FloatVector.fromArray(S, w, r + 2 * L).fma(x, z2);
                z3 = FloatVector.fromArray(S, w, r + 3 * L).fma(x, z3);
                z4 = FloatVector.fromArray(S, w, r + 4 * L).fma(x, z4);
                z5 = FloatVector.fromArray(S, w, r + 5 * L).fma(x, z5);
                z6 = FloatVector.fromArray(S, w, r + 6 * L).fma(x, z6);
                z7 = FloatVector.fromArray(S, w, r + 7 * L).fma(x, z7);
            }
            z0.intoArray(zz, col);
            z1.intoArray(zz, col + L);
            z2.intoArray(zz, col + 2 * L);
            z3.intoArray(zz, col + 3 * L);
            z4.intoArray(zz, col + 4 * L);
            z5.intoArray(zz, col + 5 * L);
            z6.intoArray(zz, col + 6 * L);
            z7.intoArray(zz, col + 7 * L);
        }
        if (col + 4 * L <= stride) {
            FloatVector z0 = FloatVector.fromArray(S, b, col);
            FloatVector z1 = FloatVector.fromArray(S, b, col + L);
            FloatVector z2 = FloatVector.fromArray(S, b, col + 2 * L);
            FloatVector z3 = FloatVector.fromArray(S, b, col + 3 * L);
            for (int k = 0; k < rows; k++) {
                int r = panel + k * (4 * L);
                FloatVector x = FloatVector.broadcast(S, vv[k]);
                z0 = FloatVector.fromArray(S, w, r).fma(x, z0);
                z1 = FloatVector.fromArray(S, w, r + L).fma(x, z1);
                z2 = FloatVector.fromArray(S, w, r + 2 * L).fma(x, z2);
                z3 = FloatVector.fromArray(S, w, r + 3 * L).fma(x, z3);
            }
            z0.intoArray(zz, col);
            z1.intoArray(zz, col + L);
            z2.intoArray(zz, col + 2 * L);
            z3.intoArray(zz, col + 3 * L);
            col += 4 * L;
            panel += rows * 4 * L;
        }
        for (; col < stride; col += L, panel += rows * L) {
            FloatVector z0 = FloatVector.fromArray(S, b, col);
            for (int k = 0; k < rows; k++) {
                z0 = FloatVector.fromArray(S, w, panel + k * L).fma(FloatVector.broadcast(S, vv[k]), z0);
            }
            z0.intoArray(zz, col);
        }
    }

    /** {@code z = tanh(z)} over the layer's columns (the sigmoid gates were pre-scaled by 1/2: see the class doc). */
    private static void tanhAll(float[] zz, int stride) {
        for (int col = 0; col < stride; col += L) {
            tanh(FloatVector.fromArray(S, zz, col)).intoArray(zz, col);
        }
    }

    /**
     * {@code c' = σf⊙c + σi⊙a; h' = σo⊙tanh(c')} with {@code σ = (1 + t) / 2} of the gates' tanh {@code t}, for the
     * block's units whose {@code h} is at {@code states[hOff ..]} and {@code c} at {@code states[cOff ..]}.
     */
    private static void lstmCells(VectorWeights.Block l, float[] zz, float[] states, int hOff, int cOff) {
        int n = l.n();
        for (int g = 0; g < l.groups(); g++) {
            int col = g * 4 * L;
            int unit = g * L;
            FloatVector a = FloatVector.fromArray(S, zz, col);
            FloatVector f = FloatVector.fromArray(S, zz, col + L).fma(0.5f, 0.5f);
            FloatVector i = FloatVector.fromArray(S, zz, col + 3 * L).fma(0.5f, 0.5f);
            if (unit + L <= n) {
                FloatVector c =
                        f.mul(FloatVector.fromArray(S, states, cOff + unit)).add(i.mul(a));
                c.intoArray(states, cOff + unit);
                c.intoArray(zz, col); // tanh(c) in place of a, computed below
            } else {
                VectorMask<Float> m = S.indexInRange(unit, n);
                FloatVector c =
                        f.mul(FloatVector.fromArray(S, states, cOff + unit, m)).add(i.mul(a));
                c.intoArray(states, cOff + unit, m);
                c.intoArray(zz, col);
            }
        }
        for (int g = 0; g < l.groups(); g++) {
            int col = g * 4 * L;
            int unit = g * L;
            FloatVector tc = tanh(FloatVector.fromArray(S, zz, col));
            FloatVector h =
                    FloatVector.fromArray(S, zz, col + 2 * L).fma(0.5f, 0.5f).mul(tc);
            if (unit + L <= n) {
                h.intoArray(states, hOff + unit);
            } else {
                h.intoArray(states, hOff + unit, S.indexInRange(unit, n));
            }
        }
    }

    /**
     * GRU after {@code zz} holds {@code tanh} of the halved reset and update pre-activations: {@code vv}'s recurrent
     * rows become {@code r⊙h}; the candidate {@code c = tanh([x; r⊙h] Wc + bc)} and {@code h' = c + u⊙(h - c)}
     * follow in {@link #gruUpdate}.
     */
    private static void gruReset(VectorWeights.Block l, float[] zz, float[] vv, float[] states, int hOff) {
        int n = l.n();
        int nIn = l.nIn();
        for (int g = 0; g < l.groups(); g++) {
            int unit = g * L;
            FloatVector r = FloatVector.fromArray(S, zz, g * 2 * L).fma(0.5f, 0.5f);
            VectorMask<Float> m = S.indexInRange(unit, n);
            FloatVector h = FloatVector.fromArray(S, states, hOff + unit, m);
            r.mul(h).intoArray(vv, nIn + unit, m);
        }
    }

    /** The GRU's candidate {@code c = tanh(zcc)} and {@code h' = c + u⊙(h - c)}, after {@link #gruReset}. */
    private static void gruUpdate(VectorWeights.Block l, float[] zz, float[] zcc, float[] states, int hOff) {
        int n = l.n();
        for (int g = 0; g < l.groups(); g++) {
            int unit = g * L;
            FloatVector c = tanh(FloatVector.fromArray(S, zcc, unit));
            FloatVector u = FloatVector.fromArray(S, zz, g * 2 * L + L).fma(0.5f, 0.5f);
            VectorMask<Float> m = S.indexInRange(unit, n);
            FloatVector h = FloatVector.fromArray(S, states, hOff + unit, m);
            h.sub(c).fma(u, c).intoArray(states, hOff + unit, m);
        }
    }

    private static void rnnCells(VectorWeights.Block l, float[] zz, float[] states, int hOff) {
        int n = l.n();
        for (int g = 0; g < l.groups(); g++) {
            int unit = g * L;
            FloatVector h = FloatVector.fromArray(S, zz, unit);
            if (unit + L <= n) {
                h.intoArray(states, hOff + unit);
            } else {
                h.intoArray(states, hOff + unit, S.indexInRange(unit, n));
            }
        }
    }

    private static final float CLAMP = 7.90531110763549805f;

    /** {@link FastMath#tanh} lane by lane. */
    static FloatVector tanh(FloatVector v) {
        FloatVector x = v.max(-CLAMP).min(CLAMP);
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.fma(-2.76076847742355e-16f, 2.00018790482477e-13f);
        p = p.fma(x2, FloatVector.broadcast(S, -8.60467152213735e-11f));
        p = p.fma(x2, FloatVector.broadcast(S, 5.12229709037114e-08f));
        p = p.fma(x2, FloatVector.broadcast(S, 1.48572235717979e-05f));
        p = p.fma(x2, FloatVector.broadcast(S, 6.37261928875436e-04f));
        p = p.fma(x2, FloatVector.broadcast(S, 4.89352455891786e-03f));
        p = p.mul(x);
        FloatVector q = x2.fma(1.19825839466702e-06f, 1.18534705686654e-04f);
        q = q.fma(x2, FloatVector.broadcast(S, 2.26843463243900e-03f));
        q = q.fma(x2, FloatVector.broadcast(S, 4.89352518554385e-03f));
        return p.div(q);
    }

    @Override
    public VectorKernel copy() {
        return new VectorKernel(weights);
    }
}
