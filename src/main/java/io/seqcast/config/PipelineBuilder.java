package io.seqcast.config;

import io.seqcast.event.Covariates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sets a {@link PipelineConfig}'s components one by one; {@link #build()} makes the record. Made by
 * {@link PipelineConfig#builder()} (defaults as it states) or {@link PipelineConfig#toBuilder()}. Not thread-safe.
 */
public final class PipelineBuilder {
    private String name;
    private Path source;
    private PipelineConfig.Input input;
    private PipelineConfig.Sampling sampling;
    private Path modelArtifact;
    private PipelineConfig.Mode mode;
    private PipelineConfig.Window window;
    private PipelineConfig.ForecastSettings forecast;
    private PipelineConfig.AnomalySettings anomaly;
    private PipelineConfig.Output output;
    private Duration idleExpiry = PipelineConfig.DEFAULT_IDLE_EXPIRY;
    private PipelineConfig.Profiles profiles = PipelineConfig.Profiles.NONE;
    private PipelineConfig.StateStore store = PipelineConfig.StateStore.ROCKSDB;
    private int stateCache = PipelineConfig.STATE_CACHE_BY_COMMIT_INTERVAL;
    private List<PipelineConfig.ModelRoute> routes = List.of();
    private Covariates covariates = Covariates.NONE;

    PipelineBuilder() {}

    PipelineBuilder(PipelineConfig p) {
        name = p.name();
        source = p.source();
        input = p.input();
        sampling = p.sampling();
        modelArtifact = p.modelArtifact();
        mode = p.mode();
        window = p.window();
        forecast = p.forecast();
        anomaly = p.anomaly();
        output = p.output();
        idleExpiry = p.idleExpiry();
        profiles = p.profiles();
        store = p.store();
        stateCache = p.stateCache();
        routes = p.routes();
        covariates = p.covariates();
    }

    public PipelineBuilder name(String v) {
        name = v;
        return this;
    }

    public PipelineBuilder source(Path v) {
        source = v;
        return this;
    }

    public PipelineBuilder input(PipelineConfig.Input v) {
        input = v;
        return this;
    }

    public PipelineBuilder sampling(PipelineConfig.Sampling v) {
        sampling = v;
        return this;
    }

    public PipelineBuilder modelArtifact(Path v) {
        modelArtifact = v;
        return this;
    }

    public PipelineBuilder mode(PipelineConfig.Mode v) {
        mode = v;
        return this;
    }

    public PipelineBuilder window(PipelineConfig.Window v) {
        window = v;
        return this;
    }

    public PipelineBuilder forecast(PipelineConfig.ForecastSettings v) {
        forecast = v;
        return this;
    }

    public PipelineBuilder anomaly(PipelineConfig.AnomalySettings v) {
        anomaly = v;
        return this;
    }

    public PipelineBuilder output(PipelineConfig.Output v) {
        output = v;
        return this;
    }

    public PipelineBuilder idleExpiry(Duration v) {
        idleExpiry = v;
        return this;
    }

    public PipelineBuilder profiles(PipelineConfig.Profiles v) {
        profiles = v;
        return this;
    }

    public PipelineBuilder store(PipelineConfig.StateStore v) {
        store = v;
        return this;
    }

    public PipelineBuilder stateCache(int v) {
        stateCache = v;
        return this;
    }

    public PipelineBuilder routes(List<PipelineConfig.ModelRoute> v) {
        routes = v;
        return this;
    }

    public PipelineBuilder covariates(Covariates v) {
        covariates = v;
        return this;
    }

    public PipelineConfig build() {
        return new PipelineConfig(
                name,
                source,
                input,
                sampling,
                modelArtifact,
                mode,
                window,
                forecast,
                anomaly,
                output,
                idleExpiry,
                profiles,
                store,
                stateCache,
                routes,
                covariates);
    }
}
