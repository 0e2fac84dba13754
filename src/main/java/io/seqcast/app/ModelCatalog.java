package io.seqcast.app;

import io.seqcast.config.ConfigProblem;
import io.seqcast.config.InvalidConfigurationException;
import io.seqcast.config.PipelineConfig;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
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

    public static Function<PipelineConfig, SequenceModel> load(List<PipelineConfig> pipelines) {
        Map<Path, SequenceModel> byFile = new HashMap<>();
        Map<String, SequenceModel> byPipeline = new HashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (PipelineConfig p : pipelines) {
            Path file = p.modelArtifact();
            SequenceModel model = byFile.get(file);
            if (model == null) {
                try {
                    model = ModelArtifact.read(file).toSequenceModel();
                    byFile.put(file, model);
                } catch (IOException | RuntimeException e) {
                    problems.add(new ConfigProblem(p.source().toString(), "model.artifact",
                            "cannot load " + file + ": " + e.getMessage(),
                            "point model.artifact at a model made by 'seqcast train' (path relative to the pipeline"
                                    + " file)"));
                    continue;
                }
            }
            int features = p.input().fields().features();
            int modelHorizon = model.info().outputSize() / Math.max(1, model.info().inputSize());
            if (model.info().inputSize() != features) {
                problems.add(new ConfigProblem(p.source().toString(), "model.artifact",
                        "model " + model.info().name() + " takes " + model.info().inputSize() + " input features; the"
                                + " pipeline has input.features " + features + ".",
                        "use a model trained on " + features + " features, or set input.features to "
                                + model.info().inputSize()));
            } else if (modelHorizon < p.forecast().horizon()) {
                problems.add(new ConfigProblem(p.source().toString(), "forecast.horizon",
                        "is " + p.forecast().horizon() + " but model " + model.info().name() + " forecasts "
                                + modelHorizon + " steps.",
                        "set forecast.horizon to at most " + modelHorizon + ", or train a model with a longer horizon"));
            }
            byPipeline.put(p.name(), model);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return p -> byPipeline.get(p.name());
    }
}
