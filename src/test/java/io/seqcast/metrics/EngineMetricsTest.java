package io.seqcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seqcast.anomaly.AnomalyKind;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import io.seqcast.forecast.Outcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {

    private static final ModelRef MODEL = new ModelRef("m", "3");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final EngineMetrics metrics = new EngineMetrics(registry, SeriesWatch.of(List.of(), 2), now::get);

    private static Outcome.Accepted accepted(
            String series, long time, double observed, ForecastStep expected, AnomalyAlert alert) {
        return new Outcome.Accepted(
                new Forecast(
                        series,
                        "p",
                        time,
                        observed,
                        expected,
                        0.5,
                        false,
                        MODEL,
                        0.9,
                        List.of(new ForecastStep(1, time + 1000, 7, 6, 8))),
                alert,
                Outcome.Gap.NONE,
                0);
    }

    @Test
    void shouldRenderNamesPerPrometheusConventions() {
        metrics.received("p");
        metrics.stepped("p", 20_000);
        metrics.accepted("p", accepted("a", 1000, 5, null, null), 999_000L);
        String scrape = registry.scrape();
        for (String name : List.of(
                "seqcast_observations_received_total{",
                "seqcast_forecasts_total{",
                "seqcast_model_step_seconds_bucket{",
                "seqcast_model_batch_series_bucket{",
                "seqcast_forecast_processing_lag_seconds_bucket{",
                "seqcast_forecast_event_lag_seconds_bucket{",
                "seqcast_forecast_checked_total{",
                "seqcast_forecast_covered_total{",
                "seqcast_forecast_error_count{",
                "seqcast_forecast_coverage_target{")) {
            assertTrue(scrape.contains(name), name + " missing from\n" + scrape);
        }
    }

    @Test
    void shouldMeasureProcessingLagFromTheRecordTimestampAndEventLagFromEventTime() {
        metrics.accepted("p", accepted("a", 1000, 5, null, null), 999_000L);
        var processing = registry.get("seqcast.forecast.processing.lag").timer();
        var event = registry.get("seqcast.forecast.event.lag").timer();
        assertEquals(1.0, processing.totalTime(java.util.concurrent.TimeUnit.SECONDS), 1e-9);
        assertEquals(999.0, event.totalTime(java.util.concurrent.TimeUnit.SECONDS), 1e-9);
    }

    @Test
    void shouldCountCoverageAndScaledErrorOnlyForObservationsWithAForecast() {
        // 90% interval: half width = 1.6449 sigma; lower 8, upper 12 -> sigma = 2/1.6449
        metrics.accepted("p", accepted("a", 1000, 11, new ForecastStep(1, 1000, 10, 8, 12), null));
        metrics.accepted("p", accepted("a", 2000, 13, new ForecastStep(1, 2000, 10, 8, 12), null));
        metrics.accepted("p", accepted("a", 3000, 13, null, null));
        assertEquals(2, metrics.count("seqcast.forecast.checked", "pipeline", "p"));
        assertEquals(1, metrics.count("seqcast.forecast.covered", "pipeline", "p"));
        var error = registry.get("seqcast.forecast.error").summary();
        double sigma = 2 / 1.6448536269514722;
        assertEquals((1 + 3) / sigma, error.totalAmount(), 1e-6);
    }

    @Test
    void shouldExportPerSeriesGaugesOnlyForWatchedSeries() {
        for (int i = 0; i < 50; i++) {
            metrics.accepted("p", accepted("s" + i, 1000, i, new ForecastStep(1, 1000, 1, 0, 2), null));
        }
        long exported = registry.getMeters().stream()
                .filter(m -> m.getId().getName().equals("seqcast.series.observed"))
                .count();
        assertEquals(2, exported);
        assertEquals(
                1.0,
                registry.get("seqcast.series.observed")
                        .tag("series", "s1")
                        .gauge()
                        .value());
        assertEquals(
                7.0,
                registry.get("seqcast.series.forecast")
                        .tag("series", "s1")
                        .gauge()
                        .value());
        assertEquals(
                2.0,
                registry.get("seqcast.series.expected.upper")
                        .tag("series", "s1")
                        .gauge()
                        .value());
    }

    @Test
    void shouldShowTheAlertLevelOfAWatchedSeriesUntilResolved() {
        var opened = new AnomalyAlert(
                "a@1",
                "a",
                "p",
                1000,
                1000,
                AnomalyAlert.Lifecycle.OPENED,
                AnomalyAlert.Severity.CRITICAL,
                AnomalyKind.RESIDUAL,
                0.03,
                50,
                null,
                0.9999,
                0.9999,
                MODEL,
                Map.of());
        metrics.accepted("p", accepted("a", 1000, 50, null, opened));
        assertEquals(
                2.0,
                registry.get("seqcast.series.alert").tag("series", "a").gauge().value());
        assertEquals(1, metrics.count("seqcast.alerts", "lifecycle", "opened", "severity", "critical"));
        var resolved = new AnomalyAlert(
                "a@1",
                "a",
                "p",
                2000,
                1000,
                AnomalyAlert.Lifecycle.RESOLVED,
                AnomalyAlert.Severity.CRITICAL,
                AnomalyKind.RESIDUAL,
                0.03,
                5,
                null,
                0.1,
                0.9999,
                MODEL,
                Map.of());
        metrics.accepted("p", accepted("a", 2000, 5, null, resolved));
        assertEquals(
                0.0,
                registry.get("seqcast.series.alert").tag("series", "a").gauge().value());
    }

    @Test
    void shouldReplaceTheServedModelWhenItsVersionChanges() {
        metrics.modelServed("p", new ModelRef("m", "1"));
        metrics.modelServed("p", new ModelRef("m", "1"));
        metrics.modelServed("p", new ModelRef("m", "2"));
        var served = registry.find("seqcast.model.served").gauges();
        assertEquals(1, served.size());
        assertEquals("2", served.iterator().next().getId().getTag("version"));
    }

    @Test
    void shouldSumStateOverTasksAndForgetClosedTasks() {
        metrics.stateHeld("p", "0_0", 10, 1000);
        metrics.stateHeld("p", "0_1", 5, 500);
        assertEquals(15.0, registry.get("seqcast.series.held").gauge().value());
        assertEquals(1500.0, registry.get("seqcast.state").gauge().value());
        metrics.stateReleased("p", "0_0");
        assertEquals(5.0, registry.get("seqcast.series.held").gauge().value());
        assertFalse(registry.scrape().contains("seqcast_state_bytes{application"), "no common tag in this test");
        assertTrue(registry.scrape().contains("seqcast_state_bytes{pipeline=\"p\"} 500"), registry.scrape());
    }
}
