package io.seqcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqcast.errors.Reason;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine's own meters. Names are dotted with base units; the Prometheus registry renders them as
 * {@code seqcast_observations_received_total}, {@code seqcast_model_step_seconds} and so on. Meters are looked up
 * once and cached, so the per-record cost is a map read and an increment.
 */
public final class EngineMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics kept in memory only (tests, tools). */
    public static EngineMetrics inMemory() {
        return new EngineMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void received(String pipeline) {
        counter("seqcast.observations.received", "Observation records read from the input topic",
                "pipeline", pipeline).increment();
    }

    public void deadLettered(String pipeline, Reason reason) {
        counter("seqcast.dead.letter", "Records sent to the dead-letter topic, by reason",
                "pipeline", pipeline, "reason", reason.code()).increment();
    }

    public void stepped(String pipeline, long nanos) {
        timers.computeIfAbsent(pipeline, p -> Timer.builder("seqcast.model.step")
                        .description("Time to advance one series by one observation (model step and scoring)")
                        .tag("pipeline", p)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(1_000))
                        .maximumExpectedValue(Duration.ofMillis(100))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void accepted(String pipeline, SeriesForecaster.Accepted accepted) {
        counter("seqcast.forecasts", "Forecast events published", "pipeline", pipeline).increment();
        AnomalyAlert alert = accepted.alert();
        if (alert != null) {
            counter("seqcast.alerts", "Anomaly alert events published", "pipeline", pipeline,
                    "lifecycle", alert.lifecycle().name().toLowerCase(Locale.ROOT),
                    "severity", alert.severity().name().toLowerCase(Locale.ROOT)).increment();
        }
        if (accepted.gap() != SeriesForecaster.Gap.NONE) {
            counter("seqcast.gaps", "Gaps in series, by what was done about them", "pipeline", pipeline,
                    "action", accepted.gap().name().toLowerCase(Locale.ROOT)).increment();
        }
    }

    /** Count of a counter, 0 if it was never incremented (for tests and the demo's summary). */
    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private Counter counter(String name, String description, String... tags) {
        String id = name + String.join(",", tags);
        Counter c = counters.get(id);
        if (c == null) {
            c = counters.computeIfAbsent(id, k -> Counter.builder(name).description(description).tags(tags)
                    .register(registry));
        }
        return c;
    }
}
