package io.seqcast.config;

import io.seqcast.event.Covariates;
import io.seqcast.event.FieldMapping;
import io.seqcast.learn.Inputs;
import io.seqcast.state.DecodedStateCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One pipeline, as declared in a file of {@code topology/}: where observations come from, which model forecasts
 * them and how, and where forecasts, alerts and refused records go. Built by {@link PipelineFiles}.
 *
 * @param name pipeline name; prefixes the names of its processors and stores
 * @param source the file the pipeline was read from
 * @param idleExpiry a series whose last observation is older than this (in event time) is forgotten: its state is
 *     deleted and it starts afresh if it comes back
 * @param profiles the seasonal profiles kept per series
 * @param store where the series' state lives in this instance (the changelog topic backs either)
 * @param stateCache series per stream task whose state is kept decoded in front of the store ({@code state.cache});
 *     0 for none; {@link #STATE_CACHE_BY_COMMIT_INTERVAL} when the pipeline does not set it
 * @param covariates known-ahead covariates of each observation's event time the model takes after its values
 *     ({@code model.covariates}); {@link Covariates#NONE} for none
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
        Duration idleExpiry,
        Profiles profiles,
        StateStore store,
        int stateCache,
        List<ModelRoute> routes,
        Covariates covariates) {

    public PipelineConfig {
        routes = routes == null ? List.of() : List.copyOf(routes);
        covariates = covariates == null ? Covariates.NONE : covariates;
    }

    /**
     * One entry of {@code model.routes}: the series it matches are served by the model in {@code artifact} instead of
     * {@code model.artifact}. A series matches by its key ({@code series}: a glob, {@code *} and {@code ?};
     * {@code series-regex}: a Java regular expression over the whole key) or by a tag of its first observation
     * ({@code tag: key=value}); exactly one of these is set, the others are null.
     *
     * @param artifact the model artifact file, resolved against the pipeline file's directory
     */
    public record ModelRoute(String seriesGlob, String seriesRegex, String tagKey, String tagValue, Path artifact) {

        /** The route's matcher as written in the pipeline file, e.g. {@code series: m-*}. */
        public String describe() {
            if (seriesGlob != null) {
                return "series: " + seriesGlob;
            }
            return seriesRegex != null ? "series-regex: " + seriesRegex : "tag: " + tagKey + "=" + tagValue;
        }
    }

    /**
     * The kind of local store of a pipeline's per-series state ({@code state.store}). Both are changelogged, so both
     * keep exactly-once and survive a crash or a move of their partition; they differ in where the live copy is.
     */
    public enum StateStore {
        /** RocksDB on disk, bounded in memory ({@code state.memory.bytes}): any number of series. */
        ROCKSDB,
        /**
         * A map on the heap: no RocksDB read or write per record, but every series' state is on the heap and is
         * restored from the changelog whenever the task starts (no local checkpoint of its contents).
         */
        MEMORY
    }

    /** Series idle for longer than this are forgotten unless the pipeline says otherwise. */
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofDays(30);

    /** This pipeline with other {@code model.routes}. */
    public PipelineConfig withRoutes(List<ModelRoute> other) {
        return toBuilder().routes(other).build();
    }

    /** This pipeline with its state in another kind of store. */
    public PipelineConfig withStore(StateStore kind) {
        return toBuilder().store(kind).build();
    }

    /**
     * This pipeline with a decoded state cache of {@code series} per task (0: none; {@link
     * #STATE_CACHE_BY_COMMIT_INTERVAL}: as when {@code state.cache} is not set).
     */
    public PipelineConfig withStateCache(int series) {
        return toBuilder().stateCache(series).build();
    }

    /** Series per task whose state is kept decoded when the cache is on and the pipeline does not say how many. */
    public static final int DEFAULT_STATE_CACHE = DecodedStateCache.DEFAULT_CAPACITY;

    /**
     * {@code state.cache} not set: {@link #DEFAULT_STATE_CACHE} series per task when the engine commits less often than
     * every 20 ms ({@link DecodedStateCache#SHORT_COMMIT_MS}), no cache at 20 ms or shorter.
     */
    public static final int STATE_CACHE_BY_COMMIT_INTERVAL = DecodedStateCache.BY_COMMIT_INTERVAL;

    /** This pipeline with other model covariates. */
    public PipelineConfig withCovariates(Covariates kinds) {
        return toBuilder().covariates(kinds).build();
    }

    /** This pipeline with another idle expiry. */
    public PipelineConfig withIdleExpiry(Duration expiry) {
        return toBuilder().idleExpiry(expiry).build();
    }

    /** This pipeline with other forecast settings. */
    public PipelineConfig withForecast(ForecastSettings settings) {
        return toBuilder().forecast(settings).build();
    }

    /** This pipeline with another sampling interval. */
    public PipelineConfig withInterval(Duration interval) {
        return toBuilder()
                .sampling(new Sampling(
                        interval, sampling.gapTolerance(), sampling.gapPolicy(), sampling.maxImputeSteps()))
                .build();
    }

    /**
     * A builder of a new pipeline: the default idle expiry, no profiles, state in RocksDB, {@code state.cache} not set,
     * no routes, no covariates; every other component must be set.
     */
    public static PipelineBuilder builder() {
        return new PipelineBuilder();
    }

    /** A builder holding this pipeline's components. */
    public PipelineBuilder toBuilder() {
        return new PipelineBuilder(this);
    }

    /**
     * Seasonal profiles kept per series (by event time, UTC): the mean of each bucket of the last day and of the last
     * week. Novelty compares each value with them, and combined forecasts use them as candidates.
     *
     * @param dailyBuckets buckets of the daily profile, 0 for none
     * @param weeklyBuckets buckets of the weekly profile, 0 for none
     * @param smoothing weight in (0, 1] of a bucket's newest season: 1 keeps the last season's mean alone, less keeps
     *     an exponentially weighted mean over past seasons (smoother, slower)
     */
    public record Profiles(int dailyBuckets, int weeklyBuckets, double smoothing) {

        public static final Profiles NONE = new Profiles(0, 0);

        /** Profiles of the last season alone (smoothing 1). */
        public Profiles(int dailyBuckets, int weeklyBuckets) {
            this(dailyBuckets, weeklyBuckets, 1.0);
        }
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
        CLASSIFY,
        /**
         * Raw two-lead ECG: each observation carries {@code input.features / 2} consecutive samples of both leads,
         * interleaved ({@code lead1, lead2, lead1, ...}), the sample rate being those samples per
         * {@code sampling.interval}; beats are found in the samples (state per series) and each is classified by a
         * many-to-one softmax model. See {@code io.seqcast.classify.BeatStream}.
         */
        ECG
    }

    /** Whether the pipeline publishes classifications (modes classify and ecg) rather than forecasts. */
    public boolean classifies() {
        return mode == Mode.CLASSIFY || mode == Mode.ECG;
    }

    /** ECG mode: samples per second of each lead, from the samples per observation and the sampling interval. */
    public double sampleRate() {
        return input.fields().features() / 2 * 1e9 / sampling.interval().toNanos();
    }

    /** The window of the windowed mode. */
    public record Window(int length, int stride) {}

    /**
     * Forecast horizon, interval coverage, and what is forecast.
     *
     * @param combine publish, per series and step, the inverse-mean-squared-error weighted combination of the model's
     *     forecast, the last value and the seasonal profiles' values (Bates and Granger 1969), instead of the model's
     *     forecast alone
     * @param calibrationRate step of the online calibration of the interval widths (adaptive conformal inference, log
     *     scale, per observation): larger follows a change of the residuals' size faster, and wobbles more
     * @param combineNetwork with {@code combine} and learning, the network's own forecast is a candidate of the
     *     combination beside the learned forecast, so that a step the network forecasts better is not spoiled by the
     *     learned layer
     */
    public record ForecastSettings(
            int horizon,
            double coverage,
            boolean combine,
            Learning learning,
            double calibrationRate,
            boolean combineNetwork) {

        /** Without the network as a candidate of its own. */
        public ForecastSettings(
                int horizon, double coverage, boolean combine, Learning learning, double calibrationRate) {
            this(horizon, coverage, combine, learning, calibrationRate, false);
        }

        /** The calibration rate of the releases before it was a setting. */
        public static final double DEFAULT_CALIBRATION_RATE = 0.02;

        /** At the default calibration rate. */
        public ForecastSettings(int horizon, double coverage, boolean combine, Learning learning) {
            this(horizon, coverage, combine, learning, DEFAULT_CALIBRATION_RATE);
        }

        /** These settings with another horizon. */
        public ForecastSettings withHorizon(int steps) {
            return new ForecastSettings(steps, coverage, combine, learning, calibrationRate, combineNetwork);
        }

        /** These settings, publishing the combination or the model's forecast alone. */
        public ForecastSettings withCombine(boolean combined) {
            return new ForecastSettings(horizon, coverage, combined, learning, calibrationRate, combineNetwork);
        }

        /** These settings, with or without the network as a candidate of its own beside the learned forecast. */
        public ForecastSettings withCombineNetwork(boolean network) {
            return new ForecastSettings(horizon, coverage, combine, learning, calibrationRate, network);
        }

        /** These settings with per-series learning {@code learning}. */
        public ForecastSettings withLearning(Learning learning) {
            return new ForecastSettings(horizon, coverage, combine, learning, calibrationRate, combineNetwork);
        }
    }

    /**
     * Per-series learning in the stream ({@code learn.*}): an online linear output layer per series and step ahead over
     * the model's forecast, recent changes, seasonal profiles and calendar terms.
     *
     * @param enabled whether each series learns its own output layer (otherwise the model's forecast stands)
     * @param lags recent changes among the inputs
     * @param calendar calendar terms among the inputs
     * @param change how changes are measured: differences, or returns (prices)
     * @param forgetting forgetting factor of the recursive least squares: memory about {@code 1 / (1 - forgetting)}
     * @param prior initial covariance scale (ridge prior): smaller keeps the head near "no change" longer
     * @param deviationMemory with seasonal profiles, the memory in observations of an input that is the recent mean
     *     departure of the series from its first profile (a day that runs below its usual shape); 0: no such input
     * @param seasonalLag with a value {@code L > 0}, one more input per step {@code h}: the change the series made
     *     over the same {@code h} steps {@code L} observations earlier, {@code y(t+h-L) - y(t-L)} (yesterday's shape
     *     for a daily season); the layer then keeps the last {@code L + 1} values. 0: no such input
     */
    public record Learning(
            boolean enabled,
            int lags,
            Inputs.Calendar calendar,
            Inputs.Change change,
            double forgetting,
            double prior,
            int deviationMemory,
            int seasonalLag) {

        /** No learning. */
        public static final Learning OFF =
                new Learning(false, 6, Inputs.Calendar.NONE, Inputs.Change.DIFFERENCE, 0.999, 1.0, 0, 0);

        /** The default learning settings, on. */
        public static Learning on() {
            return new Learning(true, OFF.lags, OFF.calendar, OFF.change, OFF.forgetting, OFF.prior, 0, 0);
        }

        /** These settings with other calendar inputs. */
        public Learning withCalendar(Inputs.Calendar terms) {
            return new Learning(enabled, lags, terms, change, forgetting, prior, deviationMemory, seasonalLag);
        }
    }

    /**
     * Anomaly scoring and alerting.
     *
     * @param falseAlertRate expected share of normal observations that would open an alert: the alert threshold on
     *     the anomaly score is {@code -log10(falseAlertRate) / 100}
     * @param criticalRate like {@code falseAlertRate}, for the critical severity
     * @param warmup observations after a (re)start of a series during which no alert is raised
     * @param resolveAfter consecutive normal observations that resolve an open alert
     * @param refractory event time after a novelty or a red residual onset during which novelty and the residual
     *     likelihood are discounted
     * @param levelNovelty whether a value beyond the series' whole past range is novel (not for trending series)
     */
    public record AnomalySettings(
            double falseAlertRate,
            double criticalRate,
            int warmup,
            int resolveAfter,
            Duration refractory,
            boolean levelNovelty) {

        /** Default refractory period of an episode (novelty and the residual likelihood). */
        public static final Duration REFRACTORY = Duration.ofHours(24);

        /** The anomaly score threshold of alerts (the score is {@code -log10(tail) / 100}, capped at 1). */
        public double threshold() {
            return Math.min(1.0, -Math.log10(falseAlertRate) / 100);
        }
    }

    /** Output topics. */
    public record Output(String forecasts, String alerts, String deadLetter, String classifications) {}
}
