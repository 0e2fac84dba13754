package io.seqcast.testing;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.GapPolicy;
import io.seqcast.config.PipelineConfig.Mode;
import io.seqcast.event.FieldMapping;
import java.nio.file.Path;
import java.time.Duration;

/** Pipeline declarations for tests, varied with the {@code with...} methods. */
public final class TestPipelines {

    private TestPipelines() {}

    /** A pipeline with the default idle expiry and no seasonal profiles. */
    public static PipelineConfig pipeline(
            String name,
            Path source,
            PipelineConfig.Input input,
            PipelineConfig.Sampling sampling,
            Path modelArtifact,
            Mode mode,
            PipelineConfig.Window window,
            PipelineConfig.ForecastSettings forecast,
            PipelineConfig.AnomalySettings anomaly,
            PipelineConfig.Output output) {
        return PipelineConfig.builder()
                .name(name)
                .source(source)
                .input(input)
                .sampling(sampling)
                .modelArtifact(modelArtifact)
                .mode(mode)
                .window(window)
                .forecast(forecast)
                .anomaly(anomaly)
                .output(output)
                .build();
    }

    /** The model's forecasts alone, without per-series learning. */
    public static PipelineConfig.ForecastSettings forecast(int horizon, double coverage) {
        return forecast(horizon, coverage, false);
    }

    /** Forecasts combined or not, without per-series learning. */
    public static PipelineConfig.ForecastSettings forecast(int horizon, double coverage, boolean combine) {
        return new PipelineConfig.ForecastSettings(horizon, coverage, combine, PipelineConfig.Learning.OFF);
    }

    /** Anomaly settings with the default refractory period, level novelty on. */
    public static PipelineConfig.AnomalySettings anomaly(
            double falseAlertRate, double criticalRate, int warmup, int resolveAfter) {
        return new PipelineConfig.AnomalySettings(
                falseAlertRate, criticalRate, warmup, resolveAfter, PipelineConfig.AnomalySettings.REFRACTORY, true);
    }

    /** Output topics of a forecasting pipeline, with the default classification topic. */
    public static PipelineConfig.Output output(String forecasts, String alerts, String deadLetter) {
        return new PipelineConfig.Output(forecasts, alerts, deadLetter, "seqcast.classifications");
    }

    public static PipelineConfig stateful() {
        return pipeline(
                "test",
                Path.of("test.yaml"),
                new PipelineConfig.Input("obs", FieldMapping.DEFAULT),
                new PipelineConfig.Sampling(Duration.ofMinutes(5), 1.5, GapPolicy.IMPUTE, 12),
                Path.of("model.seqcast"),
                Mode.STATEFUL,
                new PipelineConfig.Window(16, 2),
                forecast(3, 0.9),
                anomaly(0.001, 0.00001, 20, 3),
                output("forecasts", "alerts", "dlq"));
    }

    public static PipelineConfig withMode(PipelineConfig p, Mode mode) {
        return p.toBuilder().mode(mode).build();
    }

    public static PipelineConfig withGapPolicy(PipelineConfig p, GapPolicy policy) {
        var s = p.sampling();
        return p.toBuilder()
                .sampling(new PipelineConfig.Sampling(s.interval(), s.gapTolerance(), policy, s.maxImputeSteps()))
                .build();
    }

    public static PipelineConfig withFeatures(PipelineConfig p, int features) {
        FieldMapping f = p.input().fields();
        return p.toBuilder()
                .input(new PipelineConfig.Input(
                        p.input().topic(), new FieldMapping(f.series(), f.time(), f.value(), f.tags(), features)))
                .build();
    }

    /** {@code p} with combined forecasts and a daily profile of {@code dailyBuckets} buckets. */
    public static PipelineConfig withCombination(PipelineConfig p, int dailyBuckets) {
        return withCombination(p, dailyBuckets, 0);
    }

    /** {@code p} with combined forecasts and daily and weekly profiles of so many buckets. */
    public static PipelineConfig withCombination(PipelineConfig p, int dailyBuckets, int weeklyBuckets) {
        var f = p.forecast();
        return p.toBuilder()
                .forecast(forecast(f.horizon(), f.coverage(), true))
                .profiles(new PipelineConfig.Profiles(dailyBuckets, weeklyBuckets))
                .build();
    }

    /** {@code p} with per-series learning on (default settings), keeping its profiles and combination. */
    public static PipelineConfig withLearning(PipelineConfig p) {
        return p.withForecast(p.forecast().withLearning(PipelineConfig.Learning.on()));
    }

    /**
     * A learning pipeline as the bundled ones run it: {@code p} with {@code horizon} steps at coverage 0.9, combined
     * forecasts, per-series learning with daily calendar inputs (otherwise default settings), and {@code profiles}.
     */
    public static PipelineConfig learning(PipelineConfig p, int horizon, PipelineConfig.Profiles profiles) {
        var learning = PipelineConfig.Learning.on().withCalendar(io.seqcast.learn.Inputs.Calendar.DAILY);
        return p.toBuilder()
                .forecast(new PipelineConfig.ForecastSettings(horizon, 0.9, true, learning))
                .profiles(profiles)
                .build();
    }

    /** {@code p} with the network's own forecast a candidate of the combination beside the learned forecast. */
    public static PipelineConfig withCombineNetwork(PipelineConfig p) {
        return p.withForecast(p.forecast().withCombineNetwork(true));
    }
}
