package io.seqcast.training;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clipping by the global gradient norm ({@link GradientClipping.Mode#GLOBAL_L2}), which DL4J does not offer (its
 * gradient normalisation is per layer or per parameter type): after backpropagation and before the updater, the whole
 * network's gradient is rescaled so that the L2 norm of the gradient of the loss <em>averaged</em> over the labelled
 * steps of the minibatch is at most {@code threshold} (as PyTorch's {@code clip_grad_norm_} on a mean loss).
 *
 * <p>DL4J calls {@code onGradientCalculation} between the gradient's computation and the updater (which divides by the
 * minibatch size, then applies its per-layer normalisation and Adam); the gradient it holds there is summed over the
 * minibatch's labelled steps (examples times time steps, the label mask's ones), so the mean-loss norm is its norm
 * divided by that count. The layers' gradient views share the network's flattened gradient, which the updater reads:
 * scaling them in place scales the update. Add it after any listener that reads the unclipped gradient.
 */
final class GlobalNormClipping extends BaseTrainingListener {

    private final MultiLayerNetwork net;
    private final double threshold;
    private double lastNorm = Double.NaN;
    private double lastFactor = 1;

    /**
     * @param threshold the largest L2 norm of the mean-loss gradient; positive and finite
     */
    GlobalNormClipping(MultiLayerNetwork net, double threshold) {
        if (!(threshold > 0 && Double.isFinite(threshold))) {
            throw new IllegalArgumentException("global gradient norm threshold must be positive, got " + threshold);
        }
        this.net = net;
        this.threshold = threshold;
    }

    @Override
    public void onGradientCalculation(Model model) {
        lastNorm = meanLossNorm(net);
        lastFactor = lastNorm > threshold ? threshold / lastNorm : 1;
        if (lastFactor < 1) {
            for (int i = 0; i < net.getnLayers(); i++) {
                INDArray g = net.getLayer(i).getGradientsViewArray();
                if (g != null && net.getLayer(i).numParams() > 0) {
                    g.muli(lastFactor);
                }
            }
        }
    }

    /** The mean-loss gradient norm of the last update, before clipping. */
    double lastNorm() {
        return lastNorm;
    }

    /** The factor the last update's gradient was scaled by: 1 when it was within the bound. */
    double lastFactor() {
        return lastFactor;
    }

    /**
     * The L2 norm of the whole network's gradient as it is now, divided by the labelled steps of the minibatch being
     * fitted ({@link #labelledSteps}): the norm of the gradient of the mean loss.
     */
    static double meanLossNorm(MultiLayerNetwork net) {
        double sumSquares = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            INDArray g = net.getLayer(i).getGradientsViewArray();
            if (g != null && net.getLayer(i).numParams() > 0) {
                double n = g.norm2Number().doubleValue();
                sumSquares += n * n;
            }
        }
        return Math.sqrt(sumSquares) / Math.max(1, labelledSteps(net));
    }

    /**
     * Labelled steps of the minibatch being fitted: the ones of the output layer's label mask, or every example's every
     * time step without a mask.
     */
    static long labelledSteps(MultiLayerNetwork net) {
        Layer out = net.getOutputLayer();
        INDArray mask = out.getMaskArray();
        if (mask != null) {
            return Math.round(mask.sumNumber().doubleValue());
        }
        INDArray labels = net.getLabels();
        if (labels == null) {
            return 1;
        }
        return labels.rank() == 3 ? labels.size(0) * labels.size(2) : labels.size(0);
    }
}
