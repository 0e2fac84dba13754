package io.seqcast.training;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Places one LSTM's parameters as one block of a layer {@code k} times wider whose members never read each other's
 * units (block-diagonal recurrent weights): what {@link ForecasterEnsemble} and {@link ClassifierEnsemble} build
 * their wide layers from. DL4J keeps an LSTM's input weights {@code W [nIn, 4n]}, recurrent weights {@code RW [n, 4n]}
 * and bias {@code b [1, 4n]} in four gate blocks of {@code n} columns.
 */
final class LstmBlocks {

    static final String WEIGHTS = "W";
    static final String RECURRENT = "RW";
    static final String BIAS = "b";
    static final int GATES = 4;

    private LstmBlocks() {}

    /**
     * Writes {@code member}'s parameters into {@code w}, {@code rw} and {@code b} (the wide layer's) as block {@code m}
     * of {@code k}: gate {@code g}'s columns at {@code [g k n + m n, g k n + (m + 1) n)}, its recurrent rows at
     * {@code [m n, (m + 1) n)}, its input rows at {@code [firstInput, firstInput + its inputs)}; nothing else is written.
     */
    static void place(Layer member, int m, int k, int firstInput, INDArray w, INDArray rw, INDArray b) {
        int n = (int) member.getParam(RECURRENT).size(0);
        placeAt(member, m * n, k * n, firstInput, w, rw, b);
    }

    /**
     * Writes {@code member}'s parameters (its {@code n} units) into a layer of {@code width} units as the units
     * {@code [firstUnit, firstUnit + n)}: gate {@code g}'s columns at {@code [g width + firstUnit, g width + firstUnit +
     * n)}, its recurrent rows at {@code [firstUnit, firstUnit + n)}, its input rows at {@code [firstInput, firstInput +
     * its inputs)}; nothing else is written. Members of different sizes can so share one layer.
     */
    static void placeAt(Layer member, int firstUnit, int width, int firstInput, INDArray w, INDArray rw, INDArray b) {
        INDArray mw = member.getParam(WEIGHTS);
        INDArray mrw = member.getParam(RECURRENT);
        INDArray mb = member.getParam(BIAS).reshape(1, member.getParam(BIAS).length());
        int n = (int) mrw.size(0);
        var inputs = NDArrayIndex.interval(firstInput, firstInput + mw.size(0));
        var units = NDArrayIndex.interval(firstUnit, firstUnit + n);
        INDArray bias = b.reshape(1, b.length());
        for (int g = 0; g < GATES; g++) {
            var from = NDArrayIndex.interval(g * n, (g + 1) * n);
            var to = NDArrayIndex.interval(g * width + firstUnit, g * width + firstUnit + n);
            w.get(inputs, to).assign(mw.get(NDArrayIndex.all(), from));
            rw.get(units, to).assign(mrw.get(NDArrayIndex.all(), from));
            bias.get(NDArrayIndex.all(), to).assign(mb.get(NDArrayIndex.all(), from));
        }
    }
}
