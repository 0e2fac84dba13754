package io.seqcast.registry;

import io.seqcast.config.PipelineConfig;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a model artifact fits a pipeline, from its metadata: task, shape, input width, horizon and window. The
 * engine (at start-up and for every published version) and {@code seqcast models publish} refuse a model with a
 * misfit; each misfit names the model's side, the pipeline's side and the fix.
 *
 * <ul>
 *   <li>{@code stateful}: a many-to-many forecaster (an output at every step, window 0);
 *   <li>{@code windowed}: a many-to-many forecaster (run over the window), or a many-to-one forecaster trained on
 *       windows of exactly {@code window.length} steps;
 *   <li>{@code classify}: a many-to-one classifier;
 *   <li>forecasters: {@code inputSize} equal to {@code input.features} and a horizon of at least
 *       {@code forecast.horizon}; classifiers: {@code input.features} a whole number of steps of {@code inputSize}.
 * </ul>
 */
public final class ModelFit {

    private ModelFit() {}

    /** One sentence per misfit of {@code m} in pipeline {@code p}; empty when it fits. */
    public static List<String> misfits(PipelineConfig p, ModelMetadata m) {
        List<String> out = new ArrayList<>();
        String id = "model " + m.name() + " " + m.version();
        String file = p.source() == null ? "the pipeline" : p.source().toString();
        String mode = p.mode().name().toLowerCase(Locale.ROOT);
        int features = p.input().fields().features();
        SequenceShape shape = m.sequenceShape();
        if (p.mode() == PipelineConfig.Mode.CLASSIFY) {
            if (!ModelMetadata.CLASSIFY.equals(m.task()) || shape != SequenceShape.MANY_TO_ONE) {
                out.add(id + " is a " + m.shape() + " " + m.task() + " model; " + file + " is a classify pipeline,"
                        + " which needs a many-to-one classifier. Fix: train one with seqcast train --task classify.");
            } else if (features % m.inputSize() != 0) {
                out.add(id + " takes " + m.inputSize() + " values per step; " + file + " has input.features "
                        + features + ", not a whole number of steps. Fix: set input.features to a multiple of "
                        + m.inputSize() + ".");
            }
            return out;
        }
        if (!ModelMetadata.FORECAST.equals(m.task())) {
            out.add(id + " is a " + m.task() + " model; " + file + " is a " + mode + " pipeline, which needs a"
                    + " forecaster. Fix: train one with seqcast train (or set mode: classify).");
            return out;
        }
        if (p.mode() == PipelineConfig.Mode.STATEFUL && shape != SequenceShape.MANY_TO_MANY) {
            out.add(id + " is " + m.shape() + (m.window() > 0 ? " over windows of " + m.window() : "") + "; " + file
                    + " is stateful (mode: stateful), which steps a many-to-many model once per observation. Fix:"
                    + " train with --shape many-to-many, or set mode: windowed"
                    + (m.window() > 0 ? " with window.length: " + m.window() : "") + ".");
        } else if (p.mode() == PipelineConfig.Mode.WINDOWED) {
            if (shape == SequenceShape.MANY_TO_ONE && m.window() != p.window().length()) {
                out.add(id + " was trained on windows of " + m.window() + " steps; " + file + " has window.length "
                        + p.window().length() + ". Fix: set window.length: " + m.window()
                        + ", or train with --window " + p.window().length() + ".");
            } else if (shape != SequenceShape.MANY_TO_MANY && shape != SequenceShape.MANY_TO_ONE) {
                out.add(id + " is " + m.shape() + ", which the windowed mode does not run; " + file + " needs a"
                        + " many-to-many or many-to-one forecaster. Fix: train with --shape many-to-one --window "
                        + p.window().length() + ".");
            }
        }
        if (m.inputSize() != features) {
            out.add(id + " takes " + m.inputSize() + " input features; " + file + " has input.features " + features
                    + ". Fix: set input.features: " + m.inputSize() + ", or train a model on " + features
                    + " features.");
        }
        if (m.horizon() < p.forecast().horizon()) {
            out.add(id + " forecasts " + m.horizon() + " steps; " + file + " has forecast.horizon "
                    + p.forecast().horizon() + ". Fix: set forecast.horizon: " + m.horizon() + " or less, or train"
                    + " with --horizon " + p.forecast().horizon() + ".");
        }
        return out;
    }
}
