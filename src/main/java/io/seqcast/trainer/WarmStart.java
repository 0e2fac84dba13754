package io.seqcast.trainer;

import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import io.seqcast.training.Trainer;
import io.seqcast.training.TrainingOptions;
import io.seqcast.training.TrainingProgress;
import io.seqcast.training.TrainingResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Challengers made by {@link Trainer}: the champion's architecture (cell, layers, horizon) trained on the recent
 * data, starting from the champion's parameters ({@code warm}) or from a random initialisation. Training is bounded
 * by the options' epochs; early stopping on the last {@code validationFraction} of every training part picks the
 * epoch kept.
 *
 * @param options cell and layers are taken from the champion; the rest (epochs, learning rate, ...) from here
 * @param warm start from the champion's parameters
 */
public record WarmStart(TrainingOptions options, boolean warm) implements ChampionChallenger.Challengers {

    /** The model horizon of a many-to-many univariate forecaster, or an explanation of why it is not one. */
    public static int horizonOf(ModelMetadata m) {
        if (m.sequenceShape() != SequenceShape.MANY_TO_MANY
                || !ModelMetadata.FORECAST.equals(m.task())
                || m.inputSize() != 1) {
            throw new IllegalArgumentException("model " + m.name() + " " + m.version() + " is a " + m.shape() + " "
                    + m.task() + " model with " + m.inputSize() + " input features; the continual trainer retrains"
                    + " univariate many-to-many forecasters (stateful pipelines)");
        }
        return m.outputSize();
    }

    @Override
    public ModelArtifact train(ModelArtifact champion, List<float[]> series, String version, String fingerprint) {
        ModelMetadata m = champion.metadata();
        int horizon = horizonOf(m);
        TrainingOptions o = new TrainingOptions(
                m.cell(),
                m.hiddenSizes(),
                options.dropout(),
                options.learningRate(),
                options.maxEpochs(),
                options.batchSize(),
                options.tbpttLength(),
                options.validationFraction(),
                options.patience(),
                options.clipping(),
                options.seed());
        INDArray start = warm ? champion.network().params() : null;
        TrainingResult result = new Trainer(o).train(series, horizon, TrainingProgress.silent(), start);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_mse", result.bestValidationLoss());
        metrics.put("naive_validation_mse", result.naiveValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        ModelInfo info = new ModelInfo(m.name(), version, m.cell(), m.hiddenSizes(), 1, horizon);
        ModelMetadata metadata = ModelMetadata.of(
                info,
                m.inputFeatures(),
                horizon,
                0,
                m.normalisation(),
                (warm ? "warm start from " + m.name() + " " + m.version() + "; " : "") + fingerprint,
                metrics,
                Instant.now());
        return ModelArtifact.of(result.network(), metadata);
    }
}
