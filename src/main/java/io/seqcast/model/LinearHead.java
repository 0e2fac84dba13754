package io.seqcast.model;

import java.util.List;

/**
 * Log-odds added to a classifier's class scores, linear in some of its input channels: after a step, class {@code c}'s
 * score moves by {@code bias[c] + sum_j weights[c][j] * x[inputs[j]]}, {@code x} the step's input, and the class
 * probabilities become
 *
 * <pre>
 *   p'[c] = softmax_c( log max(p[c], {@value #FLOOR}) + bias[c] + sum_j weights[c][j] * x[inputs[j]] )
 * </pre>
 *
 * with {@code p} the network's own probabilities. For the beat classifier this is a multinomial logistic regression on
 * the beat's per-beat channels (RR intervals, morphology, noise: they repeat at every step, so the last step's input
 * holds them), its log-odds added to the LSTM ensemble's; fitted by {@code scripts/heartbeat-head.py} on DS1, the
 * weights already times the combination weight chosen by cross-validation. Carried in the artifact's metadata (format
 * version {@value ModelArtifact#HEAD_FORMAT_VERSION}).
 *
 * @param inputs names of the input features it reads, each one of the model's {@code inputFeatures}
 * @param weights one row per class (output order), one weight per input
 * @param bias one per class
 */
public record LinearHead(List<String> inputs, List<List<Double>> weights, List<Double> bias) {

    /** The smallest probability the network's output is taken as before its log (the cross-validation's floor). */
    public static final double FLOOR = 1e-9;

    public LinearHead {
        inputs = List.copyOf(inputs);
        weights = weights.stream().map(List::copyOf).toList();
        bias = List.copyOf(bias);
        if (weights.size() != bias.size()) {
            throw new IllegalArgumentException("linear head has " + weights.size() + " weight rows but " + bias.size()
                    + " biases; one each per class");
        }
        for (List<Double> row : weights) {
            if (row.size() != inputs.size()) {
                throw new IllegalArgumentException("linear head reads " + inputs.size() + " inputs " + inputs
                        + " but has a weight row of " + row.size());
            }
        }
    }

    /**
     * Why this head does not fit a model of {@code inputFeatures} and {@code classes} outputs, or null when it fits.
     */
    String misfit(List<String> inputFeatures, int classes) {
        if (bias.size() != classes) {
            return "its linear head scores " + bias.size() + " classes, the network " + classes;
        }
        for (String input : inputs) {
            if (!inputFeatures.contains(input)) {
                return "its linear head reads input '" + input + "', which is not one of " + inputFeatures;
            }
        }
        return null;
    }

    /** {@code model} (whose inputs are {@code inputFeatures}) with this head applied after every step. */
    public SequenceModel around(SequenceModel model, List<String> inputFeatures) {
        return new Served(model, resolve(inputFeatures));
    }

    /** This head for a model whose inputs are {@code inputFeatures}: ready to {@link Resolved#apply}. */
    public Resolved resolve(List<String> inputFeatures) {
        int[] index = new int[inputs.size()];
        for (int j = 0; j < index.length; j++) {
            index[j] = inputFeatures.indexOf(inputs.get(j));
            if (index[j] < 0) {
                throw new IllegalArgumentException(misfit(inputFeatures, bias.size()));
            }
        }
        double[][] w = new double[bias.size()][];
        double[] b = new double[bias.size()];
        for (int c = 0; c < b.length; c++) {
            w[c] = weights.get(c).stream().mapToDouble(Double::doubleValue).toArray();
            b[c] = bias.get(c);
        }
        return new Resolved(index, w, b);
    }

    /**
     * The head with its inputs as indices into a step's input: what both the served step model and training's
     * whole-sequence predictions apply.
     */
    public static final class Resolved {
        private final int[] index;
        private final double[][] w;
        private final double[] b;

        private Resolved(int[] index, double[][] w, double[] b) {
            this.index = index;
            this.w = w;
            this.b = b;
        }

        /**
         * Moves the class probabilities at {@code p[pAt..]} by the head's log-odds for the step input at
         * {@code x[xAt..]}, in place.
         */
        public void apply(float[] p, int pAt, float[] x, int xAt) {
            int classes = b.length;
            double[] z = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double v = Math.log(Math.max(p[pAt + c], FLOOR)) + b[c];
                for (int j = 0; j < index.length; j++) {
                    v += w[c][j] * x[xAt + index[j]];
                }
                z[c] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < classes; c++) {
                p[pAt + c] = (float) (z[c] / sum);
            }
        }
    }

    /** A step model followed by the head: its outputs are the moved class probabilities. */
    record Served(SequenceModel model, Resolved head) implements WrappedModel {

        @Override
        public void step(int batch, float[] inputs, float[] states, float[] outputs) {
            model.step(batch, inputs, states, outputs);
            int in = model.info().inputSize();
            int out = model.info().outputSize();
            for (int s = 0; s < batch; s++) {
                head.apply(outputs, s * out, inputs, s * in);
            }
        }

        @Override
        public SequenceModel copy() {
            return new Served(model.copy(), head);
        }
    }
}
