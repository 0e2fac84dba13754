package io.seqcast.trainer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every metric the trainer's dashboard (grafana/trainer/trainer.json) queries is one the trainer exports. */
class TrainerDashboardTest {

    @Test
    void shouldQueryOnlyMetricsTheTrainerExports() throws Exception {
        JsonNode dashboard = new ObjectMapper()
                .readTree(Path.of("grafana/trainer/trainer.json").toFile());
        Set<String> queried = new TreeSet<>();
        Pattern metric = Pattern.compile("\\bseqcast_[a-z0-9_]+");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = metric.matcher(expr.asText());
            while (m.find()) {
                queried.add(m.group());
            }
        }
        assertFalse(queried.isEmpty());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMetrics metrics = new TrainerMetrics(registry, "p", new RecentWindows(10, 10));
        metrics.decided(
                new TrainerDecision(
                        "p",
                        "2025-01-01T00:00:00Z",
                        "once",
                        TrainerDecision.PUBLISHED,
                        "won",
                        "every",
                        "m 1",
                        "2",
                        1,
                        0.5,
                        1,
                        10,
                        5,
                        null,
                        null,
                        List.of()),
                Duration.ofSeconds(1));
        String scrape = registry.scrape();
        for (String name : queried) {
            assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find(), name + " is not exported");
        }
    }
}
