package io.seqcast.registry;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Covariates;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.model.ModelInputs;
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
 *   <li>{@code windowed}: a many-to-many forecaster (run over the window), a many-to-one or encoder-decoder
 *       forecaster trained on windows of exactly {@code window.length} steps, or a one-to-many forecaster (one
 *       observation's vector in, {@code window.length} 1);
 *   <li>{@code classify}: a many-to-one classifier;
 *   <li>forecasters: the covariates the model was trained with ({@link Covariates#ofInputFeatures}) the pipeline's
 *       {@code model.covariates}, in the same order;
 *   <li>forecasters: {@code inputSize} equal to {@code input.features} (twice that for a stateful model that reads
 *       differences, {@link ModelInputs}) plus two per covariate and a horizon of at least {@code forecast.horizon};
 *       classifiers: {@code input.features} a whole number of steps of {@code inputSize};
 *   <li>a model that reads differences: mode {@code stateful} (the windowed mode feeds values only).
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
        if (p.mode() == PipelineConfig.Mode.ECG) {
            if (!ModelMetadata.CLASSIFY.equals(m.task()) || shape != SequenceShape.MANY_TO_ONE) {
                out.add(id + " is a " + m.shape() + " " + m.task() + " model; " + file + " is an ecg pipeline,"
                        + " which needs a many-to-one beat classifier. Fix: train one with seqcast train --task"
                        + " heartbeats.");
            }
            return out;
        }
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
            int reads = shape == SequenceShape.ONE_TO_MANY ? 1 : m.window();
            if (shape == SequenceShape.ONE_TO_MANY && p.window().length() != 1) {
                out.add(id + " is one-to-many: it reads one observation's vector; " + file + " has window.length "
                        + p.window().length() + ". Fix: set window.length: 1.");
            } else if ((shape == SequenceShape.MANY_TO_ONE || shape == SequenceShape.ENCODER_DECODER)
                    && reads != p.window().length()) {
                out.add(id + " is " + m.shape() + ", trained on windows of " + reads + " steps; " + file
                        + " has window.length " + p.window().length() + ". Fix: set window.length: " + reads
                        + ", or train with --window " + p.window().length() + ".");
            }
            if (!shape.steppable() && m.outputSize() != features) {
                out.add(id + " emits " + m.outputSize() + " values per step; " + file + " has input.features "
                        + features + " and forecasts every feature. Fix: train it on the pipeline's " + features
                        + " features.");
            }
        }
        ModelInputs reads = ModelInputs.ofInputFeatures(m.inputFeatures());
        if (reads.differences() && p.mode() != PipelineConfig.Mode.STATEFUL) {
            out.add(id + " reads values and their differences (input features " + m.inputFeatures() + "); " + file
                    + " has mode " + mode + ", which feeds values only. Fix: set mode: stateful, or train without"
                    + " --inputs values-and-differences.");
            return out;
        }
        Covariates trained = Covariates.ofInputFeatures(m.inputFeatures());
        if (!trained.equals(p.covariates())) {
            out.add(id + " was trained with covariates " + trained + "; " + file + " has model.covariates "
                    + p.covariates() + ". Fix: set model.covariates: " + trained.ids() + ", or train with"
                    + (p.covariates().isEmpty() ? "out --covariates" : " --covariates " + p.covariates()) + ".");
        } else if (m.inputSize() != reads.width(features) + trained.width()) {
            out.add(id + " takes " + m.inputSize() + " input features" + (trained.isEmpty() ? "" : " (with covariates)")
                    + (reads.differences() ? " (values and their differences)" : "") + "; " + file
                    + " has input.features " + features + ". Fix: set input.features: "
                    + (m.inputSize() - trained.width()) / reads.width(1) + ", or train a model on " + features
                    + " features.");
        }
        if (m.horizon() < p.forecast().horizon() && !SeriesForecaster.beyondModel(p)) {
            out.add(id + " forecasts " + m.horizon() + " steps; " + file + " has forecast.horizon "
                    + p.forecast().horizon() + ". Fix: set forecast.horizon: " + m.horizon() + " or less, or train"
                    + " with --horizon " + p.forecast().horizon() + ".");
        }
        return out;
    }
}
