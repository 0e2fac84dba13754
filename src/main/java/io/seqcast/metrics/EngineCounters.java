package io.seqcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.seqcast.errors.Reason;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.forecast.Outcome;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's counters, each name, description and tag set stated once; registered on first use (or by
 * {@link #declare}) and cached, so that a later use costs a map read.
 */
final class EngineCounters {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    EngineCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Creates the pipeline's counters at zero: every dead-letter reason, alert lifecycle and severity, gap action. */
    void declare(String pipeline) {
        received(pipeline);
        forecasts(pipeline);
        for (Reason reason : Reason.values()) {
            deadLetter(pipeline, reason);
        }
        for (AnomalyAlert.Lifecycle lifecycle : AnomalyAlert.Lifecycle.values()) {
            for (AnomalyAlert.Severity severity : AnomalyAlert.Severity.values()) {
                alert(pipeline, lifecycle, severity);
            }
        }
        for (Outcome.Gap gap : Outcome.Gap.values()) {
            if (gap != Outcome.Gap.NONE) {
                gap(pipeline, gap);
            }
        }
        expired(pipeline);
        truncated(pipeline);
    }

    Counter received(String pipeline) {
        return counter("seqcast.observations.received", "Observation records read from the input topic", pipeline);
    }

    Counter forecasts(String pipeline) {
        return counter("seqcast.forecasts", "Forecast events published", pipeline);
    }

    Counter deadLetter(String pipeline, Reason reason) {
        return counter(
                "seqcast.dead.letter",
                "Records sent to the dead-letter topic, by reason",
                pipeline,
                "reason",
                reason.code());
    }

    Counter truncated(String pipeline) {
        return counter(
                "seqcast.dead.letter.truncated",
                "Dead letters whose value (or key, or original headers) was cut to fit the topic's size limit",
                pipeline);
    }

    Counter alert(String pipeline, AnomalyAlert.Lifecycle lifecycle, AnomalyAlert.Severity severity) {
        return counter(
                "seqcast.alerts",
                "Anomaly alert events published",
                pipeline,
                "lifecycle",
                lifecycle.name().toLowerCase(Locale.ROOT),
                "severity",
                severity.name().toLowerCase(Locale.ROOT));
    }

    Counter gap(String pipeline, Outcome.Gap gap) {
        return counter(
                "seqcast.gaps",
                "Gaps in series, by what was done about them",
                pipeline,
                "action",
                gap.name().toLowerCase(Locale.ROOT));
    }

    Counter expired(String pipeline) {
        return counter(
                "seqcast.series.expired", "Series forgotten after state.idle-expiry without an observation", pipeline);
    }

    Counter classified(String pipeline, String label) {
        return counter(
                "seqcast.classifications", "Classification events published, by class", pipeline, "class", label);
    }

    Counter outputTooLarge(String topic) {
        return cached(
                "seqcast.output.too.large",
                "Output records the cluster refused as too large, by topic",
                "topic",
                topic);
    }

    Counter streamsRestarted() {
        return cached("seqcast.engine.restarts", "Kafka Streams restarts after a stalled stream");
    }

    Counter threadReplaced() {
        return cached("seqcast.engine.thread.replaced", "Stream threads replaced after they failed");
    }

    /** A counter of {@code pipeline} with {@code tags} beside the pipeline tag. */
    private Counter counter(String name, String description, String pipeline, String... tags) {
        String[] all = new String[tags.length + 2];
        all[0] = "pipeline";
        all[1] = pipeline;
        System.arraycopy(tags, 0, all, 2, tags.length);
        return cached(name, description, all);
    }

    private Counter cached(String name, String description, String... tags) {
        String id = name + String.join(",", tags);
        Counter c = counters.get(id);
        if (c == null) {
            c = counters.computeIfAbsent(
                    id,
                    k -> Counter.builder(name)
                            .description(description)
                            .tags(tags)
                            .register(registry));
        }
        return c;
    }
}
