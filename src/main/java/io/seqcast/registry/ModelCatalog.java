package io.seqcast.registry;

import io.seqcast.classify.LabelledModel;
import io.seqcast.config.ConfigProblem;
import io.seqcast.config.InvalidConfigurationException;
import io.seqcast.config.PipelineConfig;
import io.seqcast.forecast.ModelRoutes;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.model.WholeSequenceModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the model artifact of every pipeline once, and checks it fits the pipeline: input features, horizon, and
 * that it is intact (format version, content hash). Every problem is reported at once, naming the pipeline file and
 * {@code model.artifact}.
 */
public final class ModelCatalog {

    private ModelCatalog() {}

    /**
     * The served model of an artifact: the fastest step kernel for its network, followed by its linear head if it has
     * one ({@link io.seqcast.model.LinearHead}); a classifier's carries its class names ({@link LabelledModel}); an encoder-decoder or one-to-many forecaster is a {@link WholeSequenceModel}.
     *
     * @throws IllegalArgumentException for an encoder-decoder or one-to-many model that is not a forecaster
     */
    public static SequenceModel fromArtifact(ModelArtifact artifact) {
        if (!artifact.metadata().sequenceShape().steppable()) {
            // encoder-decoder and one-to-many forecasters run over whole windows (the windowed mode), with DL4J
            return WholeSequenceModel.of(artifact);
        }
        // the fastest kernel this JVM runs (the vector kernel with --add-modules jdk.incubator.vector), measured in
        // BENCHMARKS.md and checked against DL4J to 1e-5 by KernelEquivalenceTest
        SequenceModel model = Kernels.best(
                artifact.network(),
                artifact.metadata().name(),
                artifact.metadata().version());
        if (artifact.metadata().head() != null) {
            model = artifact.metadata().head().around(model, artifact.metadata().inputFeatures());
        }
        List<String> classes = artifact.metadata().classes();
        if (!classes.isEmpty()) {
            return new LabelledModel(model, classes);
        }
        // a model trained on values and their differences says so in its metadata: the model stage computes them
        return io.seqcast.model.WithInputs.of(
                model,
                io.seqcast.model.ModelInputs.ofInputFeatures(artifact.metadata().inputFeatures()));
    }

    /** Why {@code model} does not fit pipeline {@code p}: one sentence per mismatch; empty when it fits. */
    public static List<String> misfits(PipelineConfig p, SequenceModel model) {
        List<String> out = new ArrayList<>();
        int features = p.input().fields().features();
        String id = "model " + model.info().name() + " " + model.info().version();
        if (p.mode() == PipelineConfig.Mode.ECG) {
            if (!(model instanceof LabelledModel labelled)) {
                out.add(id + " is not a classifier (train it with seqcast train --task heartbeats).");
            } else if (model.info().inputSize() != io.seqcast.classify.BeatFeatures.CHANNELS
                    || !labelled.classes().equals(io.seqcast.classify.AamiClass.NAMES)) {
                out.add(id + " reads " + model.info().inputSize() + " channels into classes " + labelled.classes()
                        + "; mode ecg needs a beat classifier of " + io.seqcast.classify.BeatFeatures.CHANNELS
                        + " channels into " + io.seqcast.classify.AamiClass.NAMES
                        + " (seqcast train --task heartbeats).");
            }
            return out;
        }
        if (p.mode() == PipelineConfig.Mode.CLASSIFY) {
            if (!(model instanceof LabelledModel)) {
                out.add(id + " is not a classifier (train it with seqcast train --task classify).");
            } else if (features % model.info().inputSize() != 0) {
                out.add(id + " takes " + model.info().inputSize() + " values per step; the pipeline's " + features
                        + " input.features are not a whole number of steps.");
            }
            return out;
        }
        if (model instanceof LabelledModel) {
            out.add(id + " is a classifier; a " + p.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + " pipeline needs a forecaster (or set mode: classify).");
            return out;
        }
        io.seqcast.model.ModelInputs reads =
                p.mode() == PipelineConfig.Mode.STATEFUL ? model.inputs() : io.seqcast.model.ModelInputs.VALUES;
        if (model.inputs().differences() && p.mode() != PipelineConfig.Mode.STATEFUL) {
            out.add(id + " reads values and their differences; a "
                    + p.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + " pipeline feeds values only (set mode: stateful).");
            return out;
        }
        int inputs = reads.width(features) + p.covariates().width();
        int modelHorizon = model.info().outputSize() / Math.max(1, features);
        if (model.info().inputSize() != inputs) {
            out.add("model " + model.info().name() + " " + model.info().version() + " takes "
                    + model.info().inputSize() + " input features"
                    + (reads.differences() ? " (values and differences)" : "")
                    + "; the pipeline has input.features " + features
                    + (p.covariates().isEmpty() ? "" : " and model.covariates " + p.covariates() + " (" + inputs + ")")
                    + ".");
        } else if (modelHorizon < p.forecast().horizon() && !io.seqcast.forecast.SeriesForecaster.beyondModel(p)) {
            out.add("model " + model.info().name() + " " + model.info().version() + " forecasts " + modelHorizon
                    + " steps; the pipeline's forecast.horizon is "
                    + p.forecast().horizon() + ".");
        }
        return out;
    }

    /**
     * The models of {@code p}'s {@code model.routes}, each loaded and checked to fit the pipeline like
     * {@code model.artifact} ({@link ModelFit}).
     *
     * @throws InvalidConfigurationException naming the pipeline file, the route's key and the fix, for every route
     *     whose artifact cannot be loaded or does not fit
     */
    public static ModelRoutes routes(PipelineConfig p) {
        if (p.routes().isEmpty()) {
            return ModelRoutes.NONE;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        List<SequenceModel> models = new ArrayList<>();
        for (int i = 0; i < p.routes().size(); i++) {
            Path file = p.routes().get(i).artifact();
            String key = "model.routes[" + i + "].artifact";
            try {
                ModelArtifact artifact = ModelArtifact.read(file);
                SequenceModel model = fromArtifact(artifact);
                List<String> fit = ModelFit.misfits(p, artifact.metadata());
                for (String misfit : fit.isEmpty() ? misfits(p, model) : fit) {
                    problems.add(new ConfigProblem(
                            p.source().toString(),
                            key,
                            misfit,
                            "route the series to a model trained for this pipeline (seqcast train --per-series with"
                                    + " --pipeline " + p.source().getFileName() + ")"));
                }
                models.add(model);
            } catch (IOException | RuntimeException e) {
                problems.add(new ConfigProblem(
                        p.source().toString(),
                        key,
                        "cannot load " + file + ": " + e.getMessage(),
                        "point artifact at a model made by 'seqcast train' (path relative to the pipeline file)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new ModelRoutes(p.routes(), models);
    }

    /**
     * Every pipeline's default model ({@code model.artifact}), loaded once and checked, and its routed models
     * ({@link #routes}) checked too; every problem is reported at once.
     */
    public static Function<PipelineConfig, SequenceModel> load(List<PipelineConfig> pipelines) {
        Map<Path, SequenceModel> byFile = new HashMap<>();
        Map<Path, ModelArtifact> artifacts = new HashMap<>();
        Map<String, SequenceModel> byPipeline = new HashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (PipelineConfig p : pipelines) {
            Path file = p.modelArtifact();
            SequenceModel model = byFile.get(file);
            if (model == null) {
                try {
                    ModelArtifact artifact = ModelArtifact.read(file);
                    model = fromArtifact(artifact);
                    byFile.put(file, model);
                    artifacts.put(file, artifact);
                } catch (IOException | RuntimeException e) {
                    problems.add(new ConfigProblem(
                            p.source().toString(),
                            "model.artifact",
                            "cannot load " + file + ": " + e.getMessage(),
                            "point model.artifact at a model made by 'seqcast train' (path relative to the pipeline"
                                    + " file)"));
                    continue;
                }
            }
            List<String> fit =
                    io.seqcast.registry.ModelFit.misfits(p, artifacts.get(file).metadata());
            for (String misfit : fit.isEmpty() ? misfits(p, model) : fit) {
                problems.add(new ConfigProblem(
                        p.source().toString(),
                        "model.artifact",
                        misfit,
                        "use a model trained for this pipeline's input.features and forecast.horizon"));
            }
            byPipeline.put(p.name(), model);
        }
        for (PipelineConfig p : pipelines) {
            try {
                routes(p);
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return p -> byPipeline.get(p.name());
    }
}
