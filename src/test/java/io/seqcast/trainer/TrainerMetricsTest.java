package io.seqcast.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer's meters have the Prometheus names the README lists, and a decision moves them. */
class TrainerMetricsTest {

    @Test
    void shouldExportTheDocumentedNamesAndCountDecisions() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMetrics metrics = new TrainerMetrics(registry, "p", new RecentWindows(10, 10));
        metrics.decided(
                new TrainerDecision(
                        "p",
                        "2025-01-01T00:00:00Z",
                        "schedule",
                        TrainerDecision.REFUSED,
                        "worse",
                        "every",
                        "m 1",
                        "2",
                        0.9,
                        1.2,
                        3,
                        300,
                        30,
                        null,
                        null,
                        List.of()),
                Duration.ofSeconds(2));
        String scrape = registry.scrape();
        for (String name : List.of(
                "seqcast_trainer_runs_total{decision=\"refused\",pipeline=\"p\"} 1.0",
                "seqcast_trainer_runs_total{decision=\"published\",pipeline=\"p\"} 0.0",
                "seqcast_trainer_champion_mase{pipeline=\"p\"} 0.9",
                "seqcast_trainer_challenger_mase{pipeline=\"p\"} 1.2",
                "seqcast_trainer_drift_ratio{",
                "seqcast_trainer_run_seconds_count{pipeline=\"p\"} 1",
                "seqcast_trainer_last_run_timestamp_seconds{",
                "seqcast_trainer_window_series{",
                "seqcast_trainer_window_observations{",
                "seqcast_trainer_observations_total{outcome=\"invalid\"")) {
            assertTrue(scrape.contains(name), name + " in\n" + scrape);
        }
    }
}
