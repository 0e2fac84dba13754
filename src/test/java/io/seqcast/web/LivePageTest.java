package io.seqcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seqcast.anomaly.AnomalyKind;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import io.seqcast.metrics.HttpEndpoint;
import io.seqcast.metrics.SeriesWatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LivePageTest {

    private static final ModelRef MODEL = new ModelRef("m", "1");
    private final HttpClient client = HttpClient.newHttpClient();
    private final LiveSeries live = new LiveSeries(SeriesWatch.of(List.of("a", "b"), 10));
    private HttpEndpoint http;

    @BeforeEach
    void start() throws Exception {
        http = HttpEndpoint.start(
                "127.0.0.1",
                0,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> KafkaStreams.State.RUNNING);
        LivePage.register(http, live, () -> "RUNNING");
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Forecast forecast(String series, long t, double observed, ForecastStep expected) {
        return new Forecast(
                series,
                "p",
                t,
                observed,
                expected,
                0.3,
                false,
                MODEL,
                0.9,
                List.of(new ForecastStep(1, t + 60_000, 2, 1, 3), new ForecastStep(2, t + 120_000, 2, 0, 4)));
    }

    @Test
    void shouldServeThePageAndItsScriptFromTheClasspath() throws Exception {
        var page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("chart-values"));
        assertEquals(200, get("/live.js").statusCode());
        assertEquals(404, get("/nothing.html").statusCode());
        assertEquals(400, get("/..%2Fapplication.properties").statusCode());
        assertEquals(200, get("/metrics").statusCode(), "metrics are still served next to the page");
    }

    @Test
    void shouldListWatchedSeriesWithTheirLatestValues() throws Exception {
        live.add(forecast("a", 60_000, 5, null));
        live.add(forecast("c", 60_000, 5, null));
        JsonNode list = new ObjectMapper().readTree(get("/api/series").body());
        assertEquals("RUNNING", list.get("engine").asText());
        assertEquals(2, list.get("series").size(), "a and b are watched, c is not");
        assertEquals("a", list.get("series").get(0).get("series").asText());
        assertEquals(1, list.get("series").get(0).get("points").asInt());
        assertEquals(404, get("/api/series/c").statusCode());
    }

    @Test
    void shouldServeASeriesPointsBandForecastAndAlerts() throws Exception {
        live.add(forecast("a", 60_000, 5, null));
        live.add(forecast("a", 120_000, 9, new ForecastStep(1, 120_000, 2, 1, 3)));
        live.add(new AnomalyAlert(
                "a@120000",
                "a",
                "p",
                120_000,
                120_000,
                AnomalyAlert.Lifecycle.OPENED,
                AnomalyAlert.Severity.WARNING,
                AnomalyKind.LEVEL,
                0.03,
                9,
                null,
                0.9999,
                0.9999,
                MODEL,
                Map.of()));
        JsonNode s = new ObjectMapper().readTree(get("/api/series/a").body());
        assertEquals(2, s.get("points").size());
        assertTrue(s.get("points").get(0).get("expected").isNull(), "no forecast yet for the first point");
        assertEquals(3.0, s.get("points").get(1).get("upper").asDouble());
        assertEquals(2, s.get("forecast").size());
        assertEquals("opened", s.get("alerts").get(0).get("lifecycle").asText());
        assertEquals(0.9, s.get("coverage").asDouble());
    }

    @Test
    void shouldKeepABoundedHistoryAndIgnoreReplays() {
        SeriesHistory h = new SeriesHistory("a");
        for (int i = 1; i <= SeriesHistory.MAX_POINTS + 100; i++) {
            h.add(forecast("a", i * 60_000L, i, null));
        }
        h.add(forecast("a", 60_000L, 0, null));
        var snapshot = h.snapshot();
        assertEquals(SeriesHistory.MAX_POINTS, snapshot.points().size());
        assertEquals(
                (SeriesHistory.MAX_POINTS + 100) * 60_000L,
                snapshot.points().get(SeriesHistory.MAX_POINTS - 1).time());
    }
}
