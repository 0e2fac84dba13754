package io.seqcast.config;

import io.seqcast.event.FieldMapping;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One pipeline, as declared in a file of {@code topology/}: where observations come from, which model forecasts
 * them and how, and where forecasts, alerts and refused records go. Built by {@link PipelineFiles}.
 *
 * @param name pipeline name; prefixes the names of its processors and stores
 * @param source the file the pipeline was read from
 * @param idleExpiry a series whose last observation is older than this (in event time) is forgotten: its state is
 *     deleted and it starts afresh if it comes back
 */
public record PipelineConfig(
        String name,
        Path source,
        Input input,
        Sampling sampling,
        Path modelArtifact,
        Mode mode,
        Window window,
        ForecastSettings forecast,
        AnomalySettings anomaly,
        Output output,
        Duration idleExpiry) {

    /** Series idle for longer than this are forgotten unless the pipeline says otherwise. */
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofDays(30);

    /** A pipeline with the {@link #DEFAULT_IDLE_EXPIRY default idle expiry}. */
    public PipelineConfig(String name, Path source, Input input, Sampling sampling, Path modelArtifact, Mode mode,
            Window window, ForecastSettings forecast, AnomalySettings anomaly, Output output) {
        this(name, source, input, sampling, modelArtifact, mode, window, forecast, anomaly, output,
                DEFAULT_IDLE_EXPIRY);
    }

    /** This pipeline with another idle expiry. */
    public PipelineConfig withIdleExpiry(Duration expiry) {
        return new PipelineConfig(name, source, input, sampling, modelArtifact, mode, window, forecast, anomaly, output,
                expiry);
    }

    /** Where observations come from and how to read them. */
    public record Input(String topic, FieldMapping fields) {}

    /**
     * The expected spacing of observations and what to do when it is broken.
     *
     * @param interval expected time between observations of a series
     * @param gapTolerance a gap is a time since the last observation longer than {@code gapTolerance * interval}
     * @param gapPolicy what a gap does to the series' state
     * @param maxImputeSteps with {@link GapPolicy#IMPUTE}, gaps of more missing steps than this reset instead
     */
    public record Sampling(Duration interval, double gapTolerance, GapPolicy gapPolicy, int maxImputeSteps) {}

    /** What a gap in a series does. */
    public enum GapPolicy {
        /** Forget the hidden state and the pending forecasts; the series warms up again. */
        RESET,
        /** Feed the model its own one-step forecast for each missing step, then continue. */
        IMPUTE
    }

    /** How observations drive the model. */
    public enum Mode {
        /** One model step per observation, carrying the hidden state per series (many-to-many). */
        STATEFUL,
        /** The model runs over the last {@code window.length} observations every {@code window.stride} of them. */
        WINDOWED,
        /**
         * Each observation's vector is one whole sequence (for example a heartbeat's window of samples), classified
         * on its own by a many-to-one softmax model; publishes a class and its probability. Keeps no per-series
         * state.
         */
        CLASSIFY
    }

    /** The window of the windowed mode. */
    public record Window(int length, int stride) {}

    /** Forecast horizon and interval coverage. */
    public record ForecastSettings(int horizon, double coverage) {}

    /**
     * Anomaly scoring and alerting.
     *
     * @param falseAlertRate expected share of normal observations that would open an alert: the alert threshold on
     *     the anomaly score is {@code -log10(falseAlertRate) / 100}
     * @param criticalRate like {@code falseAlertRate}, for the critical severity
     * @param warmup observations after a (re)start of a series during which no alert is raised
     * @param resolveAfter consecutive normal observations that resolve an open alert
     * @param dailyBuckets buckets of the daily profile novelty compares each value with; 0 for none
     * @param weeklyBuckets buckets of the weekly profile; 0 for none
     * @param refractory event time after a novelty during which further novelty is discounted
     */
    public record AnomalySettings(
            double falseAlertRate,
            double criticalRate,
            int warmup,
            int resolveAfter,
            int dailyBuckets,
            int weeklyBuckets,
            java.time.Duration refractory) {

        /** Default refractory period of novelty. */
        public static final java.time.Duration REFRACTORY = java.time.Duration.ofHours(12);

        /** Settings without seasonal profiles, with the default refractory period. */
        public AnomalySettings(double falseAlertRate, double criticalRate, int warmup, int resolveAfter) {
            this(falseAlertRate, criticalRate, warmup, resolveAfter, 0, 0, REFRACTORY);
        }

        /** The anomaly score threshold of alerts (the score is {@code -log10(tail) / 100}, capped at 1). */
        public double threshold() {
            return Math.min(1.0, -Math.log10(falseAlertRate) / 100);
        }

        public double criticalThreshold() {
            return Math.min(1.0, -Math.log10(criticalRate) / 100);
        }
    }

    /** Output topics. */
    public record Output(String forecasts, String alerts, String deadLetter, String classifications) {

        /** Output topics of a forecasting pipeline, with the default classification topic. */
        public Output(String forecasts, String alerts, String deadLetter) {
            this(forecasts, alerts, deadLetter, "seqcast.classifications");
        }
    }
}
