package io.seqcast.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqcast.errors.InvalidRecordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JSON form of the output events, as documented by the schemas in {@code schemas/}. Times are ISO-8601 UTC text.
 */
public final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {}

    public static byte[] encode(Forecast f) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "forecast");
        root.put("series", f.series());
        root.put("pipeline", f.pipeline());
        root.put("time", ObservationParser.formatTime(f.time()));
        root.put("observed", f.observed());
        if (f.expected() != null) {
            root.set("expected", step(f.expected()));
        }
        root.put("anomalyScore", f.anomalyScore());
        root.put("warmingUp", f.warmingUp());
        root.set("model", model(f.model()));
        root.put("coverage", f.coverage());
        ArrayNode steps = root.putArray("steps");
        for (ForecastStep s : f.steps()) {
            steps.add(step(s));
        }
        return bytes(root);
    }

    public static byte[] encode(AnomalyAlert a) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "anomaly-alert");
        root.put("alertId", a.alertId());
        root.put("series", a.series());
        root.put("pipeline", a.pipeline());
        root.put("time", ObservationParser.formatTime(a.time()));
        root.put("openedAt", ObservationParser.formatTime(a.openedAt()));
        root.put("lifecycle", a.lifecycle().name().toLowerCase(Locale.ROOT));
        root.put("severity", a.severity().name().toLowerCase(Locale.ROOT));
        root.put("observed", a.observed());
        if (a.expected() != null) {
            root.set("expected", step(a.expected()));
        }
        root.put("anomalyScore", a.anomalyScore());
        root.put("peakScore", a.peakScore());
        root.set("model", model(a.model()));
        return bytes(root);
    }

    public static byte[] encode(Classification c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "classification");
        root.put("series", c.series());
        root.put("pipeline", c.pipeline());
        root.put("time", ObservationParser.formatTime(c.time()));
        root.put("class", c.label());
        root.put("probability", c.probability());
        ObjectNode all = root.putObject("probabilities");
        c.probabilities().forEach(all::put);
        root.set("model", model(c.model()));
        return bytes(root);
    }

    public static Classification decodeClassification(byte[] bytes) {
        JsonNode n = tree(bytes);
        java.util.Map<String, Double> all = new java.util.LinkedHashMap<>();
        n.get("probabilities").fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue().asDouble()));
        return new Classification(n.get("series").asText(), n.get("pipeline").asText(), time(n.get("time")),
                n.get("class").asText(), n.get("probability").asDouble(), all, model(n.get("model")));
    }

    public static Forecast decodeForecast(byte[] bytes) {
        JsonNode n = tree(bytes);
        List<ForecastStep> steps = new ArrayList<>();
        for (JsonNode s : n.get("steps")) {
            steps.add(step(s));
        }
        return new Forecast(
                n.get("series").asText(),
                n.get("pipeline").asText(),
                time(n.get("time")),
                n.get("observed").asDouble(),
                n.hasNonNull("expected") ? step(n.get("expected")) : null,
                n.get("anomalyScore").asDouble(),
                n.get("warmingUp").asBoolean(),
                model(n.get("model")),
                n.get("coverage").asDouble(),
                steps);
    }

    public static AnomalyAlert decodeAlert(byte[] bytes) {
        JsonNode n = tree(bytes);
        return new AnomalyAlert(
                n.get("alertId").asText(),
                n.get("series").asText(),
                n.get("pipeline").asText(),
                time(n.get("time")),
                time(n.get("openedAt")),
                AnomalyAlert.Lifecycle.valueOf(n.get("lifecycle").asText().toUpperCase(Locale.ROOT)),
                AnomalyAlert.Severity.valueOf(n.get("severity").asText().toUpperCase(Locale.ROOT)),
                n.get("observed").asDouble(),
                n.hasNonNull("expected") ? step(n.get("expected")) : null,
                n.get("anomalyScore").asDouble(),
                n.get("peakScore").asDouble(),
                model(n.get("model")));
    }

    /** The observation JSON a producer writes, in the default field mapping. */
    public static byte[] encodeObservation(String series, long time, double... values) {
        ObjectNode root = JSON.createObjectNode();
        root.put("series", series);
        root.put("time", ObservationParser.formatTime(time));
        if (values.length == 1) {
            root.put("value", values[0]);
        } else {
            ArrayNode array = root.putArray("value");
            for (double v : values) {
                array.add(v);
            }
        }
        return bytes(root);
    }

    private static ObjectNode step(ForecastStep s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("step", s.step());
        node.put("time", ObservationParser.formatTime(s.time()));
        node.put("value", s.value());
        node.put("lower", s.lower());
        node.put("upper", s.upper());
        return node;
    }

    private static ForecastStep step(JsonNode n) {
        return new ForecastStep(
                n.get("step").asInt(),
                time(n.get("time")),
                n.get("value").asDouble(),
                n.get("lower").asDouble(),
                n.get("upper").asDouble());
    }

    private static ObjectNode model(ModelRef m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", m.name());
        node.put("version", m.version());
        return node;
    }

    private static ModelRef model(JsonNode n) {
        return new ModelRef(n.get("name").asText(), n.get("version").asText());
    }

    private static long time(JsonNode n) {
        try {
            return ObservationParser.parseTime(n.asText());
        } catch (InvalidRecordException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
