package io.seqcast.topology;

import io.seqcast.classify.LabelledModel;
import io.seqcast.event.ModelRef;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The many-to-one classifier a classify or ECG processor serves: follows the pipeline's current model version, runs a
 * sequence from a zero state and reads the class probabilities after its last step. Not thread-safe (scratch
 * buffers); one per stream task.
 */
final class ServedClassifier {

    /** The most probable class, its probability, every class's probability, and the model that gave them. */
    record Verdict(String label, double probability, Map<String, Double> probabilities, ModelRef model) {}

    private final String pipeline;
    private final Supplier<SequenceModel> models;
    private final EngineMetrics metrics;
    private SequenceModel served;
    private SequenceModel model;
    private List<String> classes;
    private float[] state;
    private float[] output;

    ServedClassifier(String pipeline, Supplier<SequenceModel> models, EngineMetrics metrics) {
        this.pipeline = pipeline;
        this.models = models;
        this.metrics = metrics;
    }

    /** Switches to the pipeline's current model when a new version was published since the last call. */
    void follow() {
        SequenceModel current = models.get();
        if (current != served) {
            served = current;
            model = current.copy();
            classes = LabelledModel.classesOf(current);
            state = new float[model.stateSize()];
            output = new float[model.info().outputSize()];
            metrics.modelServed(
                    pipeline, new ModelRef(current.info().name(), current.info().version()));
        }
    }

    /** Values per step the served model reads. */
    int inputSize() {
        return model.info().inputSize();
    }

    /** Starts a sequence from the zero state. */
    void start() {
        Arrays.fill(state, 0f);
    }

    /** Advances the sequence by one step of {@link #inputSize()} values. */
    void step(float[] input) {
        model.step(1, input, state, output);
    }

    /** The class probabilities after the last step. */
    Verdict verdict() {
        int best = 0;
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int k = 0; k < output.length; k++) {
            probabilities.put(classes.get(k), (double) output[k]);
            if (output[k] > output[best]) {
                best = k;
            }
        }
        return new Verdict(
                classes.get(best),
                output[best],
                probabilities,
                new ModelRef(served.info().name(), served.info().version()));
    }
}
