package io.seqcast.forecast;

import io.seqcast.anomaly.Novelty;
import io.seqcast.config.PipelineConfig;
import io.seqcast.model.SequenceModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of the per-series stages: which run for a pipeline, in which order, under which section tag. To add a
 * stage, write its class ({@link Stage}) and add it to {@link #standard} at its place; take the next free tag.
 *
 * <p>Order and tags (a tag is never reused for another meaning, even after its stage is removed):
 *
 * <ol>
 *   <li>{@link TimeStage} (tag 1): late and duplicate observations refused; a gap imputed or reset; warm-up.
 *   <li>{@link ModelStage} (tag 2): per model step, the recurrent step (or window run) and its forecasts.
 *   <li>{@link LearnedStage} (tag 10, with {@code learn.enabled}): the series' own learned forecasts, replacing the
 *       model's target forecasts.
 *   <li>{@link Combination} (tag 3, with {@code forecast.combine}): candidate errors; the combined forecasts (with
 *       {@code forecast.combine-network} and learning, the network's own forecast is a candidate too, weighed by its
 *       recent absolute error).
 *   <li>{@link ForecastStage} (tag 4): the expected value, the residual statistics and interval calibration; the
 *       pending forecasts.
 *   <li>{@link LikelihoodStage} (tag 5): the residual's anomaly likelihood (its verdict).
 *   <li>{@link SeasonalProfiles} (tag 6, with {@code profile.*} buckets): the daily and weekly profiles.
 *   <li>{@link NoveltyStage} (tag 7): what is new to the series; the score, fused with the likelihood's verdict.
 *   <li>{@link AlertStage} (tag 8): the alert lifecycle.
 *   <li>{@link ScaleStage} (tag 9): the normalisation statistics, updated last.
 * </ol>
 *
 * Within an observation, every stage's {@code observe} runs in this order, then every stage's {@code advance} per
 * model step: so the combination scores its candidates before the profiles take the observation (a profile's value
 * for this time does not change by it), and re-weights the model's forecasts before they are kept pending.
 */
public final class Stages {

    private Stages() {}

    /** The stages of {@code pipeline}'s per-series step with {@code model}, in order. */
    public static List<Stage<?>> standard(PipelineConfig pipeline, SequenceModel model) {
        int features = pipeline.input().fields().features();
        int horizon = pipeline.forecast().horizon();
        long intervalMs = pipeline.sampling().interval().toMillis();
        var anomaly = pipeline.anomaly();
        ScaleStage scale = new ScaleStage(features);
        ForecastStage forecasts = new ForecastStage(pipeline, scale);
        SeasonalProfiles profiles = new SeasonalProfiles(
                pipeline.profiles().dailyBuckets(),
                pipeline.profiles().weeklyBuckets(),
                pipeline.profiles().smoothing());
        Novelty novelty = new Novelty(
                anomaly.warmup(),
                anomaly.refractory().toMillis(),
                profiles.seasonObservations(intervalMs),
                anomaly.levelNovelty());
        boolean seasonal = profiles.profiles() > 0;

        List<Stage<?>> stages = new ArrayList<>();
        stages.add(new TimeStage(pipeline, forecasts));
        stages.add(new ModelStage(pipeline, model, scale));
        var learning = pipeline.forecast().learning();
        if (learning.enabled()) {
            stages.add(new LearnedStage(
                    learning,
                    seasonal ? profiles : null,
                    scale,
                    horizon,
                    model.info().outputSize() / features,
                    intervalMs));
        }
        if (pipeline.forecast().combine()) {
            boolean network = learning.enabled() && pipeline.forecast().combineNetwork();
            stages.add(new Combination(
                    horizon,
                    seasonal ? profiles : null,
                    scale,
                    intervalMs,
                    network ? Combination.NETWORK_SHARPNESS : learning.enabled() ? Combination.LEARNED_SHARPNESS : 1,
                    network,
                    network));
        }
        stages.add(forecasts);
        stages.add(new LikelihoodStage(anomaly.falseAlertRate()));
        if (seasonal) {
            stages.add(profiles);
        }
        stages.add(new NoveltyStage(novelty, anomaly.falseAlertRate()));
        stages.add(new AlertStage(pipeline));
        stages.add(scale);
        return stages;
    }
}
