package io.seqcast.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.seqcast.errors.InvalidRecordException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JSON form of the output events, as documented by the schemas in {@code schemas/}. Times are ISO-8601 UTC text.
 */
public final class EventJson {

    /** Jackson's fast double writer and parser (Schubfach, FastDoubleParser): same values, less time. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private EventJson() {}

    /** Each thread's forecast writer, for callers off the record path (the processors keep their own). */
    private static final ThreadLocal<ForecastWriter> FORECASTS = ThreadLocal.withInitial(ForecastWriter::new);

    /** A forecast's JSON: {@link ForecastWriter}'s bytes, which are Jackson's ({@link #encodeByJackson}). */
    public static byte[] encode(Forecast f) {
        return FORECASTS.get().write(f);
    }

    /** A forecast's JSON written by Jackson's generator: what {@link ForecastWriter} writes, or falls back to. */
    static byte[] encodeByJackson(Forecast f) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "forecast");
            g.writeStringField("series", f.series());
            g.writeStringField("pipeline", f.pipeline());
            g.writeStringField("time", TimeText.format(f.time()));
            g.writeNumberField("observed", f.observed());
            expected(g, f.expected());
            g.writeNumberField("anomalyScore", f.anomalyScore());
            g.writeBooleanField("warmingUp", f.warmingUp());
            model(g, f.model());
            g.writeNumberField("coverage", f.coverage());
            g.writeArrayFieldStart("steps");
            for (ForecastStep s : f.steps()) {
                step(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    public static byte[] encode(AnomalyAlert a) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "anomaly-alert");
            g.writeStringField("alertId", a.alertId());
            g.writeStringField("series", a.series());
            g.writeStringField("pipeline", a.pipeline());
            g.writeStringField("time", TimeText.format(a.time()));
            g.writeStringField("openedAt", TimeText.format(a.openedAt()));
            g.writeStringField("lifecycle", a.lifecycle().name().toLowerCase(Locale.ROOT));
            g.writeStringField("severity", a.severity().name().toLowerCase(Locale.ROOT));
            g.writeStringField("kind", a.kind().label());
            g.writeNumberField("threshold", a.threshold());
            g.writeNumberField("observed", a.observed());
            expected(g, a.expected());
            g.writeNumberField("anomalyScore", a.anomalyScore());
            g.writeNumberField("peakScore", a.peakScore());
            model(g, a.model());
            if (!a.tags().isEmpty()) {
                g.writeObjectFieldStart("tags");
                for (var e : a.tags().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    public static byte[] encode(Classification c) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "classification");
            g.writeStringField("series", c.series());
            g.writeStringField("pipeline", c.pipeline());
            g.writeStringField("time", TimeText.format(c.time()));
            g.writeStringField("class", c.label());
            g.writeNumberField("probability", c.probability());
            g.writeObjectFieldStart("probabilities");
            for (var e : c.probabilities().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            model(g, c.model());
            if (c.beat() != null) {
                g.writeObjectFieldStart("beat");
                g.writeNumberField("rrBefore", c.beat().rrBefore());
                g.writeNumberField("rrAfter", c.beat().rrAfter());
                g.writeNumberField("rrMean", c.beat().rrMean());
                g.writeNumberField("abnormal", c.beat().abnormal());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    public static Classification decodeClassification(byte[] bytes) {
        JsonNode n = tree(bytes);
        java.util.Map<String, Double> all = new java.util.LinkedHashMap<>();
        n.get("probabilities")
                .fields()
                .forEachRemaining(e -> all.put(e.getKey(), e.getValue().asDouble()));
        JsonNode b = n.get("beat");
        Classification.Beat beat = b == null
                ? null
                : new Classification.Beat(
                        b.get("rrBefore").asDouble(),
                        b.get("rrAfter").asDouble(),
                        b.get("rrMean").asDouble(),
                        b.get("abnormal").asDouble());
        return new Classification(
                n.get("series").asText(),
                n.get("pipeline").asText(),
                time(n.get("time")),
                n.get("class").asText(),
                n.get("probability").asDouble(),
                all,
                model(n.get("model")),
                beat);
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
                kindOf(n.get("kind").asText()),
                n.get("threshold").asDouble(),
                n.get("observed").asDouble(),
                n.hasNonNull("expected") ? step(n.get("expected")) : null,
                n.get("anomalyScore").asDouble(),
                n.get("peakScore").asDouble(),
                model(n.get("model")),
                tags(n.get("tags")));
    }

    private static io.seqcast.anomaly.AnomalyKind kindOf(String label) {
        for (io.seqcast.anomaly.AnomalyKind k : io.seqcast.anomaly.AnomalyKind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown anomaly kind '" + label + "'");
    }

    private static java.util.Map<String, String> tags(JsonNode n) {
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        }
        return tags;
    }

    /** The observation JSON a producer writes, in the default field mapping. */
    public static byte[] encodeObservation(String series, long time, double... values) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("series", series);
            g.writeStringField("time", TimeText.format(time));
            if (values.length == 1) {
                g.writeNumberField("value", values[0]);
            } else {
                g.writeArrayFieldStart("value");
                for (double v : values) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static void step(JsonGenerator g, ForecastStep s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("step", s.step());
        g.writeStringField("time", TimeText.format(s.time()));
        g.writeNumberField("value", s.value());
        g.writeNumberField("lower", s.lower());
        g.writeNumberField("upper", s.upper());
        g.writeEndObject();
    }

    /** The {@code expected} step, when there is one. */
    private static void expected(JsonGenerator g, ForecastStep expected) throws IOException {
        if (expected != null) {
            g.writeFieldName("expected");
            step(g, expected);
        }
    }

    private static void model(JsonGenerator g, ModelRef m) throws IOException {
        g.writeObjectFieldStart("model");
        g.writeStringField("name", m.name());
        g.writeStringField("version", m.version());
        g.writeEndObject();
    }

    /** What an event writes into its generator. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * An event written by Jackson's streaming generator: on the engine's record path, building a tree of nodes and
     * then serializing it cost more than the model step.
     */
    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static ForecastStep step(JsonNode n) {
        return new ForecastStep(
                n.get("step").asInt(),
                time(n.get("time")),
                n.get("value").asDouble(),
                n.get("lower").asDouble(),
                n.get("upper").asDouble());
    }

    private static ModelRef model(JsonNode n) {
        return new ModelRef(n.get("name").asText(), n.get("version").asText());
    }

    private static long time(JsonNode n) {
        try {
            return TimeText.parse(n.asText());
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
}
