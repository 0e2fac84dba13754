package io.seqcast.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Supervised examples for {@link SequenceTrainer}, in chronological order (the last ones validate).
 *
 * <p>Example {@code i} maps {@code inputs.get(i)} ({@code [steps][features]}; one step for
 * {@link io.seqcast.model.SequenceShape#ONE_TO_MANY}) to {@code targets.get(i)} ({@code [output steps][outputs]}: one step for
 * many-to-one, as many as the input for many-to-many, {@code M} for encoder-decoder and one-to-many). For a classifier
 * the target is one step holding the one-hot class. All inputs have the same shape, and so do all targets.
 *
 * @param inputs input sequences
 * @param targets target sequences
 * @param classes class names in output order for a classifier, empty for regression
 */
public record LabelledSequences(List<float[][]> inputs, List<float[][]> targets, List<String> classes) {

    public LabelledSequences {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        classes = classes == null ? List.of() : List.copyOf(classes);
        if (inputs.isEmpty() || inputs.size() != targets.size()) {
            throw new IllegalArgumentException("need one target per input and at least one example, got "
                    + inputs.size() + " inputs and " + targets.size() + " targets");
        }
        List<String> problems = new ArrayList<>();
        int steps = inputs.get(0).length;
        int features = inputs.get(0)[0].length;
        int outSteps = targets.get(0).length;
        int outputs = targets.get(0)[0].length;
        for (int i = 0; i < inputs.size() && problems.size() < 5; i++) {
            if (inputs.get(i).length != steps || inputs.get(i)[0].length != features) {
                problems.add("input " + i + " is " + inputs.get(i).length + "x" + inputs.get(i)[0].length);
            }
            if (targets.get(i).length != outSteps || targets.get(i)[0].length != outputs) {
                problems.add("target " + i + " is " + targets.get(i).length + "x" + targets.get(i)[0].length);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("examples must share one shape (input " + steps + "x" + features
                    + ", target " + outSteps + "x" + outputs + "): " + String.join(", ", problems));
        }
        if (!classes.isEmpty() && (outSteps != 1 || outputs != classes.size())) {
            throw new IllegalArgumentException("a classification target is one step of " + classes.size()
                    + " one-hot values, got " + outSteps + "x" + outputs);
        }
    }

    /** Classification examples: {@code labels[i]} is the class index of {@code inputs.get(i)}. */
    public static LabelledSequences classes(List<float[][]> inputs, int[] labels, List<String> classes) {
        List<float[][]> targets = new ArrayList<>(labels.length);
        for (int label : labels) {
            float[][] oneHot = new float[1][classes.size()];
            oneHot[0][label] = 1;
            targets.add(oneHot);
        }
        return new LabelledSequences(inputs, targets, classes);
    }

    public int size() {
        return inputs.size();
    }

    public int inputSteps() {
        return inputs.get(0).length;
    }

    public int inputSize() {
        return inputs.get(0)[0].length;
    }

    public int outputSteps() {
        return targets.get(0).length;
    }

    public int outputSize() {
        return targets.get(0)[0].length;
    }

    public boolean isClassification() {
        return !classes.isEmpty();
    }

    /** Class index of example {@code i} (the hot position of its target). */
    public int label(int i) {
        return argmax(targets.get(i)[0]);
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive). */
    public LabelledSequences slice(int from, int to) {
        return new LabelledSequences(inputs.subList(from, to), targets.subList(from, to), classes);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }
}
