package io.seqcast.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqcast.anomaly.AnomalyKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The events on the wire conform to the JSON Schemas in schemas/ (checked with a small validator of the keywords
 * the schemas use: type, required, properties, items, $ref, enum, const, minimum, maximum).
 */
class EventSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ForecastStep STEP = new ForecastStep(1, 1_400_000_300_000L, 10.5, 9.0, 12.0);
    static final ModelRef MODEL = new ModelRef("lstm-2x32", "1");

    static JsonNode schema(String name) throws IOException {
        return JSON.readTree(Path.of("schemas", name).toFile());
    }

    @Test
    void shouldWriteForecastsAsTheSchemaDescribes() throws IOException {
        Forecast f = new Forecast(
                "s",
                "p",
                1_400_000_000_000L,
                10.2,
                STEP,
                0.73,
                false,
                MODEL,
                0.9,
                List.of(STEP, new ForecastStep(2, 1_400_000_600_000L, 11, 8, 14)));
        assertEquals(List.of(), violations(schema("forecast.schema.json"), JSON.readTree(EventJson.encode(f)), "$"));
        Forecast first = new Forecast("s", "p", 1L, 1, null, 0, true, MODEL, 0.9, List.of());
        assertEquals(
                List.of(), violations(schema("forecast.schema.json"), JSON.readTree(EventJson.encode(first)), "$"));
    }

    @Test
    void shouldWriteAlertsAsTheSchemaDescribes() throws IOException {
        AnomalyAlert a = new AnomalyAlert(
                "s@1",
                "s",
                "p",
                2L,
                1L,
                AnomalyAlert.Lifecycle.UPDATED,
                AnomalyAlert.Severity.CRITICAL,
                AnomalyKind.BROKEN_CYCLE,
                0.0331,
                99,
                STEP,
                0.99999,
                0.99999,
                MODEL,
                Map.of("site", "eu-west", "rack", "r7"));
        JsonNode json = JSON.readTree(EventJson.encode(a));
        assertEquals(List.of(), violations(schema("anomaly-alert.schema.json"), json, "$"));
        assertEquals("broken-cycle", json.get("kind").asText());
        assertEquals("eu-west", json.get("tags").get("site").asText());
        assertEquals(a, EventJson.decodeAlert(EventJson.encode(a)), "an alert reads back as written");
        for (AnomalyKind kind : AnomalyKind.values()) {
            AnomalyAlert untagged = new AnomalyAlert(
                    "s@1",
                    "s",
                    "p",
                    2L,
                    1L,
                    AnomalyAlert.Lifecycle.RESOLVED,
                    AnomalyAlert.Severity.WARNING,
                    kind,
                    0.0331,
                    99,
                    null,
                    0.01,
                    0.2,
                    MODEL,
                    Map.of());
            assertEquals(
                    List.of(),
                    violations(schema("anomaly-alert.schema.json"), JSON.readTree(EventJson.encode(untagged)), "$"),
                    kind.label());
        }
    }

    @Test
    void shouldWriteClassificationsAsTheSchemaDescribes() throws IOException {
        Classification c = new Classification(
                "mitdb_208", "heartbeats", 3L, "abnormal", 0.93, Map.of("normal", 0.07, "abnormal", 0.93), MODEL);
        assertEquals(
                List.of(), violations(schema("classification.schema.json"), JSON.readTree(EventJson.encode(c)), "$"));
    }

    @Test
    void shouldWriteBeatClassificationsAsTheSchemaDescribes() throws IOException {
        Classification c = new Classification(
                "mitdb_100",
                "heartbeats",
                3L,
                "V",
                0.9,
                Map.of("N", 0.05, "S", 0.02, "V", 0.9, "F", 0.02, "Q", 0.01),
                MODEL,
                new Classification.Beat(0.61, 1.02, 0.8, 0.95));
        JsonNode json = JSON.readTree(EventJson.encode(c));
        assertEquals(List.of(), violations(schema("classification.schema.json"), json, "$"));
        assertEquals(c, EventJson.decodeClassification(EventJson.encode(c)));
    }

    @Test
    void shouldAcceptTheObservationsTheSchemaDescribes() throws IOException {
        JsonNode observation = JSON.readTree(EventJson.encodeObservation("s", 1_400_000_000_000L, 1.5));
        assertEquals(List.of(), violations(schema("observation.schema.json"), observation, "$"));
        JsonNode wrong = JSON.readTree("{\"series\":\"s\",\"value\":\"x\"}");
        assertEquals(
                2, violations(schema("observation.schema.json"), wrong, "$").size(), "missing time, bad value");
    }

    /** Violations of {@code schema} by {@code node}; references resolve within the schema or its sibling files. */
    static List<String> violations(JsonNode schema, JsonNode node, String path) throws IOException {
        List<String> out = new ArrayList<>();
        check(schema, schema, node, path, out);
        return out;
    }

    private static void check(JsonNode root, JsonNode s, JsonNode node, String path, List<String> out)
            throws IOException {
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            int hash = ref.indexOf('#');
            JsonNode target = hash > 0 ? schema(ref.substring(0, hash)) : root;
            for (String part : ref.substring(hash + 2).split("/")) {
                target = target.get(part);
            }
            check(hash > 0 ? schema(ref.substring(0, hash)) : root, target, node, path, out);
            return;
        }
        if (s.has("oneOf")) {
            int matches = 0;
            for (JsonNode option : s.get("oneOf")) {
                List<String> sub = new ArrayList<>();
                check(root, option, node, path, sub);
                matches += sub.isEmpty() ? 1 : 0;
            }
            if (matches != 1) {
                out.add(path + ": matches " + matches + " of oneOf");
            }
            return;
        }
        if (s.has("const") && !s.get("const").equals(node)) {
            out.add(path + ": expected " + s.get("const"));
        }
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode e : s.get("enum")) {
                found |= e.equals(node);
            }
            if (!found) {
                out.add(path + ": " + node + " not in " + s.get("enum"));
            }
        }
        if (s.has("type")) {
            String type = s.get("type").asText();
            boolean ok = switch (type) {
                case "object" -> node.isObject();
                case "array" -> node.isArray();
                case "string" -> node.isTextual();
                case "number" -> node.isNumber();
                case "integer" -> node.isIntegralNumber();
                case "boolean" -> node.isBoolean();
                default -> false;
            };
            if (!ok) {
                out.add(path + ": expected " + type + ", got " + node.getNodeType());
                return;
            }
        }
        if (s.has("minimum")
                && node.isNumber()
                && node.asDouble() < s.get("minimum").asDouble()) {
            out.add(path + ": below minimum");
        }
        if (s.has("maximum")
                && node.isNumber()
                && node.asDouble() > s.get("maximum").asDouble()) {
            out.add(path + ": above maximum");
        }
        if (s.has("required")) {
            for (JsonNode r : s.get("required")) {
                if (!node.has(r.asText())) {
                    out.add(path + ": missing required " + r.asText());
                }
            }
        }
        if (s.has("properties") && node.isObject()) {
            for (Map.Entry<String, JsonNode> p : iterable(s.get("properties"))) {
                if (node.has(p.getKey())) {
                    check(root, p.getValue(), node.get(p.getKey()), path + "." + p.getKey(), out);
                }
            }
            node.fieldNames().forEachRemaining(name -> {
                if (!s.get("properties").has(name)) {
                    out.add(path + ": property " + name + " is not in the schema");
                }
            });
        }
        if (s.has("items") && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(root, s.get("items"), node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
