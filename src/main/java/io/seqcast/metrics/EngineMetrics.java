package io.seqcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqcast.errors.Reason;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import io.seqcast.forecast.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The engine's own meters. Names are dotted with base units; the Prometheus registry renders them as
 * {@code seqcast_observations_received_total}, {@code seqcast_model_step_seconds} and so on. The dashboards query
 * these names: {@code src/test/resources/golden/dashboard-metrics.txt} pins them. Meters are looked up once and
 * cached, so the per-record cost is a map read and an increment.
 *
 * <p>Per-series gauges ({@code seqcast.series.*}) exist only for the series of the {@link SeriesWatch}, so their
 * label cardinality is bounded whatever the number of series. They are exported by the instance that processes the
 * series, so a series appears once across instances.
 */
public final class EngineMetrics {

    /** Record timestamp meaning "unknown": no processing lag is recorded. */
    public static final long NO_TIMESTAMP = -1;

    private final MeterRegistry registry;
    private final SeriesWatch watch;
    private final LongSupplier wallClock;
    private final EngineCounters counters;
    private final Map<String, Hot> hot = new ConcurrentHashMap<>();
    private final Map<String, PipelineGauges> pipelines = new ConcurrentHashMap<>();
    private final Map<String, PipelineState> states = new ConcurrentHashMap<>();
    private final Map<String, SeriesGauges> series = new ConcurrentHashMap<>();
    private final Map<String, Meter> servedModels = new ConcurrentHashMap<>();

    public EngineMetrics(MeterRegistry registry) {
        this(registry, SeriesWatch.none());
    }

    public EngineMetrics(MeterRegistry registry, SeriesWatch watch) {
        this(registry, watch, System::currentTimeMillis);
    }

    EngineMetrics(MeterRegistry registry, SeriesWatch watch, LongSupplier wallClock) {
        this.registry = registry;
        this.counters = new EngineCounters(registry);
        this.watch = watch;
        this.wallClock = wallClock;
    }

    /** Metrics kept in memory only (tests, tools). */
    public static EngineMetrics inMemory() {
        return new EngineMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public SeriesWatch watch() {
        return watch;
    }

    /**
     * Creates the pipeline's counters at zero (every dead-letter reason, alert lifecycle and severity, gap action),
     * so that dashboards and alert rules see a 0 rather than no data before the first event of a kind. Idempotent.
     */
    public void declare(String pipeline) {
        counters.declare(pipeline);
        pipelineState(pipeline);
    }

    /** Series forgotten because they sent nothing for longer than the pipeline's idle expiry. */
    public void seriesExpired(String pipeline, long count) {
        counters.expired(pipeline).increment(count);
    }

    public void received(String pipeline) {
        hot(pipeline).received.increment();
    }

    public void deadLettered(String pipeline, Reason reason) {
        counters.deadLetter(pipeline, reason).increment();
    }

    /** A dead letter of {@code pipeline} was cut to fit the dead-letter topic's size limit. */
    public void deadLetterTruncated(String pipeline) {
        counters.truncated(pipeline).increment();
    }

    /** The cluster refused an output record to {@code topic} as too large (see DeadLetterProductionHandler). */
    public void outputTooLarge(String topic) {
        counters.outputTooLarge(topic).increment();
    }

    /** Kafka Streams was restarted in this process after a stall. */
    public void streamsRestarted() {
        counters.streamsRestarted().increment();
    }

    /** A failed stream thread was replaced. */
    public void streamThreadReplaced() {
        counters.threadReplaced().increment();
    }

    /** One model call that advanced one series. */
    public void stepped(String pipeline, long nanos) {
        stepped(pipeline, nanos, 1);
    }

    /** One model call that advanced {@code batch} series in {@code nanos}. */
    public void stepped(String pipeline, long nanos, int batch) {
        Hot h = hot(pipeline);
        h.step.record(nanos, TimeUnit.NANOSECONDS);
        h.batch.record(batch);
    }

    /**
     * The meters every record of a pipeline feeds, looked up once: the per-record cost is then a map read keyed by
     * the pipeline's name (its hash cached) and the meters' own updates, without building a lookup key per record.
     */
    private Hot hot(String pipeline) {
        Hot h = hot.get(pipeline);
        return h != null
                ? h
                : hot.computeIfAbsent(
                        pipeline,
                        p -> new Hot(
                                counters.received(p),
                                counters.forecasts(p),
                                Timer.builder("seqcast.model.step")
                                        .description(
                                                "Time to advance series by one observation (model step and scoring), per call")
                                        .tag("pipeline", p)
                                        .publishPercentileHistogram()
                                        .minimumExpectedValue(Duration.ofNanos(1_000))
                                        .maximumExpectedValue(Duration.ofMillis(100))
                                        .register(registry),
                                DistributionSummary.builder("seqcast.model.batch")
                                        .description("Series advanced per model call")
                                        .baseUnit("series")
                                        .tag("pipeline", p)
                                        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                                        .register(registry)));
    }

    /** See {@link #hot}. */
    private record Hot(Counter received, Counter forecasts, Timer step, DistributionSummary batch) {}

    /** An accepted observation whose record timestamp is unknown. */
    public void accepted(String pipeline, Outcome.Accepted accepted) {
        accepted(pipeline, accepted, NO_TIMESTAMP);
    }

    /**
     * An accepted observation, just before its forecast is forwarded.
     *
     * @param recordTimestamp the input record's Kafka timestamp (producer or log-append time), epoch ms, or
     *     {@link #NO_TIMESTAMP}
     */
    public void accepted(String pipeline, Outcome.Accepted accepted, long recordTimestamp) {
        Forecast f = accepted.forecast();
        hot(pipeline).forecasts.increment();
        AnomalyAlert alert = accepted.alert();
        if (alert != null) {
            counters.alert(pipeline, alert.lifecycle(), alert.severity()).increment();
        }
        if (accepted.gap() != Outcome.Gap.NONE) {
            counters.gap(pipeline, accepted.gap()).increment();
        }
        PipelineGauges p = pipelineGauges(pipeline, f.coverage());
        long now = wallClock.getAsLong();
        p.eventLag.record(Math.max(0, now - f.time()), TimeUnit.MILLISECONDS);
        if (recordTimestamp >= 0) {
            p.processingLag.record(Math.max(0, now - recordTimestamp), TimeUnit.MILLISECONDS);
        }
        ForecastStep expected = f.expected();
        if (expected != null && !f.warmingUp()) {
            p.checked.increment();
            if (f.observed() >= expected.lower() && f.observed() <= expected.upper()) {
                p.covered.increment();
            }
            double sigma = (expected.upper() - expected.lower()) / (2 * p.zq);
            if (sigma > 0 && Double.isFinite(sigma)) {
                p.error.record(Math.abs(f.observed() - expected.value()) / sigma);
            }
        }
        if (watch.watches(f.series())) {
            seriesGauges(pipeline, f.series()).update(f, alert);
        }
    }

    /** A classify pipeline published a class. */
    public void classified(String pipeline, String label) {
        counters.classified(pipeline, label).increment();
    }

    /** A model version published for a pipeline was refused (unreadable, tampered, incompatible). */
    public void modelRefused(String pipeline, String reason) {
        registry.counter("seqcast.model.refused", "pipeline", pipeline, "reason", reason)
                .increment();
    }

    /** The model a pipeline serves; replaces the one it served before. */
    public void modelServed(String pipeline, ModelRef model) {
        Meter old = servedModels.get(pipeline);
        if (old != null
                && old.getId().getTag("model").equals(model.name())
                && old.getId().getTag("version").equals(model.version())) {
            return;
        }
        Gauge g = Gauge.builder("seqcast.model.served", () -> 1)
                .description("1 for the model (name, version) each pipeline serves")
                .tags("pipeline", pipeline, "model", model.name(), "version", model.version())
                .register(registry);
        Meter previous = servedModels.put(pipeline, g);
        if (previous != null && previous != g) {
            registry.remove(previous);
        }
    }

    /**
     * What one stream task holds in its state store for a pipeline: series and their encoded bytes. Reported
     * periodically by the task; summed over the tasks of this instance.
     */
    public void stateHeld(String pipeline, String task, long seriesCount, long bytes) {
        PipelineState s = pipelineState(pipeline);
        s.series.put(task, seriesCount);
        s.bytes.put(task, bytes);
    }

    /** A task closed (rebalance, shutdown): its state no longer counts for this instance. */
    public void stateReleased(String pipeline, String task) {
        PipelineState s = pipelineState(pipeline);
        s.series.remove(task);
        s.bytes.remove(task);
    }

    /** Count of a counter, 0 if it was never incremented (for tests and the demo's summary). */
    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private PipelineGauges pipelineGauges(String pipeline, double coverage) {
        PipelineGauges p = pipelines.get(pipeline);
        return p != null ? p : pipelines.computeIfAbsent(pipeline, k -> new PipelineGauges(registry, k, coverage));
    }

    private PipelineState pipelineState(String pipeline) {
        return states.computeIfAbsent(pipeline, k -> new PipelineState(registry, k));
    }

    private SeriesGauges seriesGauges(String pipeline, String id) {
        String key = pipeline + '\u0000' + id;
        SeriesGauges g = series.get(key);
        return g != null ? g : series.computeIfAbsent(key, k -> new SeriesGauges(registry, pipeline, id));
    }
}
