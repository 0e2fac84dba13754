package io.seqcast.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.ForecastStep;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.metrics.HttpEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The live page for users without Grafana: static files from {@code src/main/resources/web/} at {@code /}, and
 * the data they poll as JSON:
 *
 * <ul>
 *   <li>{@code GET /api/series}: the engine's state and the watched series with their latest values;
 *   <li>{@code GET /api/series/{id}}: one series' recent observations with the forecast made for each and its
 *       band, anomaly scores, the forecast of the next steps, and its recent alerts.
 * </ul>
 *
 * Times are epoch milliseconds; values without a forecast are null.
 */
public final class LivePage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "txt", "text/plain; charset=utf-8");

    private final LiveSeries live;
    private final Supplier<String> engineState;

    private LivePage(LiveSeries live, Supplier<String> engineState) {
        this.live = live;
        this.engineState = engineState;
    }

    /**
     * Serves the page on {@code http}, fed from the pipelines' output topics ({@link OutputTopicsFeed}) for the
     * series {@code metrics} watches. Close the result to stop the feed.
     */
    public static AutoCloseable start(
            EngineConfig config,
            List<PipelineConfig> pipelines,
            HttpEndpoint http,
            EngineMetrics metrics,
            Supplier<?> engineState) {
        LiveSeries live = new LiveSeries(metrics.watch());
        Set<String> forecasts = new LinkedHashSet<>();
        Set<String> alerts = new LinkedHashSet<>();
        for (PipelineConfig p : pipelines) {
            forecasts.add(p.output().forecasts());
            alerts.add(p.output().alerts());
        }
        register(http, live, () -> String.valueOf(engineState.get()));
        return OutputTopicsFeed.start(config.clientProperties(), forecasts, alerts, live, metrics.registry());
    }

    /** Serves the page and its API on {@code http}. */
    public static void register(HttpEndpoint http, LiveSeries live, Supplier<String> engineState) {
        LivePage page = new LivePage(live, engineState);
        http.route("/api/series", page::api);
        http.route("/", LivePage::file);
    }

    private void api(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            HttpEndpoint.respond(exchange, 405, "text/plain", "GET only");
            return;
        }
        String path = exchange.getRequestURI().getRawPath();
        String rest = path.substring("/api/series".length());
        if (rest.isEmpty() || rest.equals("/")) {
            HttpEndpoint.respond(exchange, 200, "application/json", JSON.writeValueAsBytes(list()));
            return;
        }
        String id = URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8);
        var snapshot = live.snapshot(id);
        if (snapshot.isEmpty()) {
            HttpEndpoint.respond(
                    exchange,
                    404,
                    "application/json",
                    "{\"error\":\"series '" + id.replace("\"", "")
                            + "' is not watched or has no data yet; GET /api/series lists the watched ones\"}");
            return;
        }
        HttpEndpoint.respond(exchange, 200, "application/json", JSON.writeValueAsBytes(detail(snapshot.get())));
    }

    ObjectNode list() {
        ObjectNode root = JSON.createObjectNode();
        root.put("engine", engineState.get());
        ArrayNode series = root.putArray("series");
        for (String id : live.series()) {
            ObjectNode s = series.addObject();
            s.put("series", id);
            live.snapshot(id).ifPresent(h -> {
                s.put("pipeline", h.pipeline());
                s.put("points", h.points().size());
                if (!h.points().isEmpty()) {
                    SeriesHistory.Point last = h.points().get(h.points().size() - 1);
                    s.put("time", last.time());
                    number(s, "observed", last.observed());
                    number(s, "anomalyScore", last.score());
                }
                s.put("alertOpen", alertOpen(h));
            });
        }
        return root;
    }

    static ObjectNode detail(SeriesHistory.Snapshot h) {
        ObjectNode root = JSON.createObjectNode();
        root.put("series", h.series());
        root.put("pipeline", h.pipeline());
        if (h.model() != null) {
            root.putObject("model")
                    .put("name", h.model().name())
                    .put("version", h.model().version());
        }
        number(root, "coverage", h.coverage());
        root.put("updates", h.updates());
        ArrayNode points = root.putArray("points");
        for (SeriesHistory.Point p : h.points()) {
            ObjectNode n = points.addObject();
            n.put("time", p.time());
            number(n, "observed", p.observed());
            number(n, "expected", p.expected());
            number(n, "lower", p.lower());
            number(n, "upper", p.upper());
            number(n, "score", p.score());
            n.put("warmingUp", p.warmingUp());
        }
        ArrayNode ahead = root.putArray("forecast");
        for (ForecastStep s : h.ahead()) {
            ahead.addObject()
                    .put("step", s.step())
                    .put("time", s.time())
                    .put("value", finite(s.value()))
                    .put("lower", finite(s.lower()))
                    .put("upper", finite(s.upper()));
        }
        ArrayNode alerts = root.putArray("alerts");
        for (AnomalyAlert a : h.alerts()) {
            ObjectNode n = alerts.addObject();
            n.put("alertId", a.alertId());
            n.put("time", a.time());
            n.put("openedAt", a.openedAt());
            n.put("lifecycle", a.lifecycle().name().toLowerCase(Locale.ROOT));
            n.put("severity", a.severity().name().toLowerCase(Locale.ROOT));
            number(n, "observed", a.observed());
            number(n, "score", a.anomalyScore());
            number(n, "peakScore", a.peakScore());
        }
        return root;
    }

    private static boolean alertOpen(SeriesHistory.Snapshot h) {
        return !h.alerts().isEmpty()
                && h.alerts().get(h.alerts().size() - 1).lifecycle() != AnomalyAlert.Lifecycle.RESOLVED;
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void file(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/")) {
            path = "/index.html";
        }
        String name = path.substring(1);
        if (name.contains("..") || name.contains("//") || !name.matches("[A-Za-z0-9._/-]+")) {
            HttpEndpoint.respond(exchange, 400, "text/plain", "bad path");
            return;
        }
        try (InputStream in = LivePage.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                HttpEndpoint.respond(
                        exchange,
                        404,
                        "text/plain; charset=utf-8",
                        "no such page: " + path + " (the live page is at /, metrics at /metrics)");
                return;
            }
            String ext = name.substring(name.lastIndexOf('.') + 1);
            HttpEndpoint.respond(exchange, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        }
    }
}
