package io.seqcast.kernel;

import io.seqcast.model.NetworkWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the independent blocks of a recurrent layer's units from its weights: contiguous ranges of units none of
 * whose gates reads the recurrent state of a unit outside the range (every such weight exactly zero), as in the
 * block-diagonal layers {@link io.seqcast.training.ForecasterEnsemble} builds, and for each range the inputs its
 * gates read (the span of input rows with a non-zero weight into its columns). A trained dense layer has no zero
 * weights and comes out as one block.
 */
final class UnitBlocks {

    private UnitBlocks() {}

    /**
     * The blocks of {@code l}, in unit order, as {@code {inFrom, nIn, from, n}}: the finest split into independent
     * ranges, then neighbours merged until each range has at least {@code minUnits} units (or the layer has fewer).
     */
    static List<int[]> ranges(NetworkWeights.Layer l, int minUnits) {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int end : ends(l, minUnits)) {
            out.add(withInputs(l, from, end - from));
            from = end;
        }
        return out;
    }

    /** The end (exclusive) of each range, the last being {@code l.n()}. */
    private static List<Integer> ends(NetworkWeights.Layer l, int minUnits) {
        int n = l.n();
        int cols = l.columns();
        float[] rw = l.rw();
        // crossing[p] > 0 after the prefix sum: some unit below p and some unit at or above p are linked by a weight
        int[] crossing = new int[n + 1];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) {
                if (rw[i * cols + c] != 0) {
                    int j = c % n;
                    int lo = Math.min(i, j);
                    int hi = Math.max(i, j);
                    if (lo < hi) {
                        crossing[lo + 1]++;
                        crossing[hi + 1]--;
                    }
                }
            }
        }
        List<Integer> ends = new ArrayList<>();
        int start = 0;
        int linked = 0;
        for (int p = 1; p < n; p++) {
            linked += crossing[p];
            if (linked == 0 && p - start >= minUnits) {
                ends.add(p);
                start = p;
            }
        }
        if (!ends.isEmpty() && n - start < minUnits) {
            ends.remove(ends.size() - 1); // the last range is too narrow: it joins the one before
        }
        ends.add(n);
        return ends;
    }

    /** {@code {inFrom, nIn, from, n}} for units {@code from .. from + n - 1}. */
    private static int[] withInputs(NetworkWeights.Layer l, int from, int n) {
        int cols = l.columns();
        int gates = l.cell().gates();
        float[] w = l.w();
        int first = -1;
        int last = -1;
        for (int r = 0; r < l.nIn(); r++) {
            boolean reads = false;
            for (int g = 0; g < gates && !reads; g++) {
                int at = r * cols + g * l.n() + from;
                for (int j = 0; j < n; j++) {
                    if (w[at + j] != 0) {
                        reads = true;
                        break;
                    }
                }
            }
            if (reads) {
                first = first < 0 ? r : first;
                last = r;
            }
        }
        return first < 0 ? new int[] {0, 0, from, n} : new int[] {first, last - first + 1, from, n};
    }
}
