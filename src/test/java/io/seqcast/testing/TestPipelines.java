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

    public static PipelineConfig stateful() {
        return new PipelineConfig(
                "test",
                Path.of("test.yaml"),
                new PipelineConfig.Input("obs", FieldMapping.DEFAULT),
                new PipelineConfig.Sampling(Duration.ofMinutes(5), 1.5, GapPolicy.IMPUTE, 12),
                Path.of("model.seqcast"),
                Mode.STATEFUL,
                new PipelineConfig.Window(16, 2),
                new PipelineConfig.ForecastSettings(3, 0.9),
                new PipelineConfig.AnomalySettings(0.001, 0.00001, 20, 3),
                new PipelineConfig.Output("forecasts", "alerts", "dlq"));
    }

    public static PipelineConfig withMode(PipelineConfig p, Mode mode) {
        return new PipelineConfig(p.name(), p.source(), p.input(), p.sampling(), p.modelArtifact(), mode, p.window(),
                p.forecast(), p.anomaly(), p.output());
    }

    public static PipelineConfig withGapPolicy(PipelineConfig p, GapPolicy policy) {
        var s = p.sampling();
        return new PipelineConfig(p.name(), p.source(), p.input(),
                new PipelineConfig.Sampling(s.interval(), s.gapTolerance(), policy, s.maxImputeSteps()),
                p.modelArtifact(), p.mode(), p.window(), p.forecast(), p.anomaly(), p.output());
    }

    public static PipelineConfig withFeatures(PipelineConfig p, int features) {
        FieldMapping f = p.input().fields();
        return new PipelineConfig(p.name(), p.source(),
                new PipelineConfig.Input(p.input().topic(),
                        new FieldMapping(f.series(), f.time(), f.value(), f.tags(), features)),
                p.sampling(), p.modelArtifact(), p.mode(), p.window(), p.forecast(), p.anomaly(), p.output());
    }

    /** {@code p} with combined forecasts and a daily profile of {@code dailyBuckets} buckets. */
    public static PipelineConfig withCombination(PipelineConfig p, int dailyBuckets) {
        return withCombination(p, dailyBuckets, 0);
    }

    /** {@code p} with combined forecasts and daily and weekly profiles of so many buckets. */
    public static PipelineConfig withCombination(PipelineConfig p, int dailyBuckets, int weeklyBuckets) {
        var f = p.forecast();
        return new PipelineConfig(p.name(), p.source(), p.input(), p.sampling(), p.modelArtifact(), p.mode(),
                p.window(), new PipelineConfig.ForecastSettings(f.horizon(), f.coverage(), true), p.anomaly(),
                p.output(), p.idleExpiry(), new PipelineConfig.Profiles(dailyBuckets, weeklyBuckets));
    }

    /** {@code p} with per-series learning on (default settings), keeping its profiles and combination. */
    public static PipelineConfig withLearning(PipelineConfig p) {
        return new PipelineConfig(p.name(), p.source(), p.input(), p.sampling(), p.modelArtifact(), p.mode(),
                p.window(), p.forecast().withLearning(PipelineConfig.Learning.on()), p.anomaly(), p.output(),
                p.idleExpiry(), p.profiles());
    }
}
