package io.seqcast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Series and state bytes held per task, summed into per-pipeline gauges. */
final class PipelineState {
    final Map<String, Long> series = new ConcurrentHashMap<>();
    final Map<String, Long> bytes = new ConcurrentHashMap<>();

    PipelineState(MeterRegistry registry, String pipeline) {
        Gauge.builder("seqcast.series.held", series, m -> sum(m))
                .description("Series held in this instance's state stores (counted exactly by each task)")
                .tag("pipeline", pipeline)
                .register(registry);
        Gauge.builder("seqcast.state", bytes, m -> sum(m))
                .description(
                        "Encoded size of the per-series state held in this instance's state stores: series held times"
                                + " the mean encoded size of sampled states (RocksDB and changelog overhead not included)")
                .baseUnit("bytes")
                .tag("pipeline", pipeline)
                .register(registry);
    }

    private static double sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
