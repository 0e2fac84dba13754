package io.seqcast.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads every layer's gradient after backpropagation and before clipping and the updater (DL4J calls
 * {@code onGradientCalculation} between the two), and the score after each update.
 */
final class GradientMonitor extends BaseTrainingListener {
    private final MultiLayerNetwork net;
    private final GradientClipping clipping;
    private final TrainingProgress progress;
    private final int iterationsPerEpoch;
    private final int[] layerIndices;
    private final String[] names;
    private final double[] normSums;
    private final int[] clippedCounts;
    private int gradients;
    private int iterations;
    private double scoreSum;
    private int epoch;

    GradientMonitor(
            MultiLayerNetwork net, GradientClipping clipping, TrainingProgress progress, int iterationsPerEpoch) {
        this.net = net;
        this.clipping = clipping;
        this.progress = progress;
        this.iterationsPerEpoch = iterationsPerEpoch;
        List<Integer> withParams = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i).numParams() > 0) {
                withParams.add(i); // a RepeatVector has no parameters and no gradient
            }
        }
        int n = withParams.size();
        this.layerIndices = withParams.stream().mapToInt(Integer::intValue).toArray();
        this.names = new String[n];
        for (int k = 0; k < n; k++) {
            String name = net.getLayer(layerIndices[k]).conf().getLayer().getLayerName();
            names[k] = name != null ? name : "layer_" + layerIndices[k];
        }
        this.normSums = new double[n];
        this.clippedCounts = new int[n];
    }

    void startEpoch(int epoch) {
        this.epoch = epoch;
        java.util.Arrays.fill(normSums, 0);
        java.util.Arrays.fill(clippedCounts, 0);
        gradients = 0;
        iterations = 0;
        scoreSum = 0;
    }

    @Override
    public void onGradientCalculation(Model model) {
        boolean globallyClipped = clipping.mode() == GradientClipping.Mode.GLOBAL_L2
                && GlobalNormClipping.meanLossNorm(net) > clipping.threshold();
        double score = model.score();
        if (!Double.isFinite(score)) {
            throw new NonFiniteException(
                    "non-finite loss (" + score + ") in epoch " + epoch + ", update " + (iterations + 1));
        }
        for (int i = 0; i < names.length; i++) {
            INDArray g = net.getLayer(layerIndices[i]).getGradientsViewArray();
            double norm = g.norm2Number().doubleValue();
            if (!Double.isFinite(norm)) {
                throw new NonFiniteException("non-finite gradient of layer " + names[i] + " (L2 norm " + norm
                        + ") in epoch " + epoch + ", update " + (iterations + 1));
            }
            normSums[i] += norm;
            boolean clipped = switch (clipping.mode()) {
                case NONE -> false;
                case L2_PER_LAYER -> norm > clipping.threshold();
                case ELEMENT_WISE_ABS -> g.amaxNumber().doubleValue() > clipping.threshold();
                case GLOBAL_L2 -> globallyClipped;
            };
            if (clipped) {
                clippedCounts[i]++;
            }
        }
        gradients++;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochCount) {
        iterations++;
        scoreSum += model.score();
        progress.iteration(epoch, iterations, Math.max(iterationsPerEpoch, iterations), model.score());
    }

    double meanScore() {
        return iterations == 0 ? Double.NaN : scoreSum / iterations;
    }

    Map<String, Double> meanNorms() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], gradients == 0 ? Double.NaN : normSums[i] / gradients);
        }
        return out;
    }

    Map<String, Double> clippedFractions() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], gradients == 0 ? 0.0 : (double) clippedCounts[i] / gradients);
        }
        return out;
    }

    static List<String> warnings(
            TrainingOptions options,
            EpochReport report,
            EpochReport previous,
            Map<String, Double> first,
            Set<String> warned) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : report.gradientNorms().entrySet()) {
            String layer = e.getKey();
            double norm = e.getValue();
            double firstNorm = first.getOrDefault(layer, norm);
            double clipped = report.clippedFraction().getOrDefault(layer, 0.0);
            // early epochs start near random weights, where large gradients are normal: require two epochs in a row
            double previousClipped =
                    previous == null ? 0 : previous.clippedFraction().getOrDefault(layer, 0.0);
            boolean exploding = options.clipping().active()
                    ? clipped > Trainer.EXPLODING_CLIPPED_FRACTION
                            && previousClipped > Trainer.EXPLODING_CLIPPED_FRACTION
                            && report.epoch() > 2
                    : norm > Trainer.EXPLODING_GROWTH * firstNorm;
            if (exploding && warned.add(layer + "/exploding")) {
                out.add(String.format(
                        java.util.Locale.ROOT,
                        "layer %s: gradients are exploding in epoch %d (mean norm %.3g, clipped in %.0f%% of updates,"
                                + " first-epoch norm %.3g); lower the learning rate (now %s) or shorten truncated"
                                + " BPTT (now %d)",
                        layer,
                        report.epoch(),
                        norm,
                        100 * clipped,
                        firstNorm,
                        options.learningRate(),
                        options.tbpttLength()));
            }
            boolean vanishing = norm < Trainer.VANISHING_NORM || norm < Trainer.VANISHING_RATIO * firstNorm;
            if (vanishing && warned.add(layer + "/vanishing")) {
                out.add(String.format(
                        java.util.Locale.ROOT,
                        "layer %s: gradients are vanishing in epoch %d (mean norm %.3g, first-epoch norm %.3g); the"
                                + " layer has stopped learning: use LSTM cells, fewer layers, or a higher"
                                + " learning rate",
                        layer,
                        report.epoch(),
                        norm,
                        firstNorm));
            }
        }
        return out;
    }

    /** Thrown from inside DL4J's fit, before the updater runs, so the bad update is never applied. */
    static final class NonFiniteException extends RuntimeException {
        NonFiniteException(String message) {
            super(message, null, false, false);
        }
    }
}
