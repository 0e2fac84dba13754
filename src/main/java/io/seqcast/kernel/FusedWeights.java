package io.seqcast.kernel;

import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.NetworkWeights;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained network's weights in the layout {@link FusedKernel} runs: per recurrent layer one fused matrix
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
public record FusedWeights(ModelInfo info, List<FusedWeights.Recurrent> layers, float[] outW, float[] outB) {

    /**
     * One recurrent layer.
     *
     * @param nIn inputs of the layer
     * @param n units
     * @param cell the layer's cell ({@link CellType#gates()} blocks of {@code n} columns)
     * @param w {@code [(nIn + n)][gates * n]} row-major: the input weights' rows, then the recurrent weights' rows
     * @param b {@code gates * n} biases
     */
    public record Recurrent(int nIn, int n, CellType cell, float[] w, float[] b) {
        int gates() {
            return cell.gates();
        }

        int columns() {
            return cell.gates() * n;
        }
    }

    public FusedWeights {
        layers = List.copyOf(layers);
    }

    /**
     * {@code weights} fused: each layer's {@code W} rows then {@code RW} rows in one matrix (values unchanged).
     *
     * @throws IllegalArgumentException for a softmax output layer, which only {@link KernelModel} runs
     */
    public static FusedWeights of(NetworkWeights weights) {
        if (weights.softmax()) {
            throw new IllegalArgumentException("network " + weights.info().name()
                    + " has a softmax output layer, which the fast kernels do not run; run it with KernelModel");
        }
        List<Recurrent> layers = new ArrayList<>();
        for (NetworkWeights.Layer l : weights.layers()) {
            int cols = l.columns();
            float[] fused = new float[(l.nIn() + l.n()) * cols];
            System.arraycopy(l.w(), 0, fused, 0, l.nIn() * cols);
            System.arraycopy(l.rw(), 0, fused, l.nIn() * cols, l.n() * cols);
            layers.add(new Recurrent(l.nIn(), l.n(), l.cell(), fused, l.b()));
        }
        return new FusedWeights(weights.info(), layers, weights.outW(), weights.outB());
    }

    /**
     * Exports the weights of {@code net} ({@link NetworkWeights#fromNetwork}) and fuses them.
     *
     * @throws IllegalArgumentException naming the layer when the network has another layout, or a softmax output
     */
    public static FusedWeights fromNetwork(MultiLayerNetwork net, String name, String version) {
        return of(NetworkWeights.fromNetwork(net, name, version));
    }
}
