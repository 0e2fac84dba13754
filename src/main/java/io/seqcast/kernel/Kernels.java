package io.seqcast.kernel;

import io.seqcast.model.KernelModel;
import io.seqcast.model.NetworkWeights;
import io.seqcast.model.SequenceModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Picks the step kernel this JVM runs best. */
public final class Kernels {

    private Kernels() {}

    /** True when the JVM was started with {@code --add-modules jdk.incubator.vector}. */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * {@link VectorKernel} when the Vector API module is present (measured 3 to 5 times faster), else the scalar
     * {@link FusedKernel}.
     */
    public static SequenceModel best(FusedWeights weights) {
        return vectorApiAvailable() ? new VectorKernel(weights) : new FusedKernel(weights);
    }

    /**
     * The best kernel for {@code net}; {@link KernelModel} for what the fast kernels do not run (a softmax
     * classifier head).
     *
     * @throws IllegalArgumentException naming the layer when no kernel runs the network's layout
     */
    public static SequenceModel best(MultiLayerNetwork net, String name, String version) {
        NetworkWeights weights = NetworkWeights.fromNetwork(net, name, version);
        return weights.softmax() ? new KernelModel(weights) : best(FusedWeights.of(weights));
    }
}
