package io.seqcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.apache.commons.math3.special.Erf;

/** Meters per pipeline that every accepted observation feeds. */
final class PipelineGauges {
    final double zq;
    final Counter checked;
    final Counter covered;
    final DistributionSummary error;
    final Timer eventLag;
    final Timer processingLag;

    PipelineGauges(MeterRegistry registry, String pipeline, double coverage) {
        this.zq = Math.sqrt(2) * Erf.erfInv(coverage);
        Tags tags = Tags.of("pipeline", pipeline);
        Gauge.builder("seqcast.forecast.coverage.target", () -> coverage)
                .description("Nominal coverage of the prediction intervals")
                .tags(tags)
                .register(registry);
        checked = Counter.builder("seqcast.forecast.checked")
                .description("Observations (after warm-up) compared with the forecast made for them")
                .tags(tags)
                .register(registry);
        covered = Counter.builder("seqcast.forecast.covered")
                .description("Checked observations that fell inside their prediction interval")
                .tags(tags)
                .register(registry);
        error = DistributionSummary.builder("seqcast.forecast.error")
                .description("Absolute forecast error of checked observations, in forecast standard deviations")
                .tags(tags)
                .serviceLevelObjectives(0.5, 1, 2, 3, 5)
                .register(registry);
        eventLag = Timer.builder("seqcast.forecast.event.lag")
                .description("From an observation's event time to its forecast's emission (replayed data:"
                        + " includes the replay offset)")
                .tags(tags)
                .serviceLevelObjectives(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(10),
                        Duration.ofHours(1),
                        Duration.ofDays(1),
                        Duration.ofDays(30),
                        Duration.ofDays(365))
                .register(registry);
        processingLag = Timer.builder("seqcast.forecast.processing.lag")
                .description("From an input record's Kafka timestamp to its forecast's emission")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }
}
