package io.seqcast.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.seqcast.errors.InvalidRecordException;
import io.seqcast.errors.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads observations from JSON bytes by a {@link FieldMapping}. Every way a record can be wrong ends in an
 * {@link InvalidRecordException} naming the {@link Reason}; nothing else escapes.
 */
public final class ObservationParser {

    /**
     * Non-numeric numbers (NaN, Infinity) are read so that they are refused as non-finite, not as unparseable.
     * Jackson's fast double parser: {@code Double.parseDouble} was a hot spot on the engine's record path.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** Longest series id accepted; longer ids would bloat every state store key. */
    public static final int MAX_SERIES_ID_LENGTH = 256;
    /**
     * Largest magnitude of a value accepted. Far beyond any measurement, and well inside the float range in which
     * series state keeps forecasts and windows: a larger value would turn the series' statistics and forecasts
     * into infinities for good.
     */
    public static final double MAX_MAGNITUDE = 1e30;

    private final FieldMapping mapping;

    public ObservationParser(FieldMapping mapping) {
        this.mapping = mapping;
    }

    /**
     * Parses one record.
     *
     * @param key the Kafka record key (UTF-8 series id); must equal the series field
     * @param value the record value
     */
    public Observation parse(byte[] key, byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException(Reason.UNPARSEABLE, "empty value");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(Reason.UNPARSEABLE, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException(Reason.UNPARSEABLE, "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(Reason.UNPARSEABLE, "not a JSON object");
        }
        String series = series(root);
        if (key == null) {
            throw new InvalidRecordException(
                    Reason.MISSING_KEY, "record has no key; key records by series id ('" + series + "')");
        }
        String keyText = new String(key, StandardCharsets.UTF_8);
        if (!keyText.equals(series)) {
            throw new InvalidRecordException(
                    Reason.KEY_MISMATCH,
                    "record key '" + abbreviate(keyText) + "' differs from series '" + series + "'");
        }
        long time = time(required(root, mapping.time()));
        double[] values = values(required(root, mapping.value()));
        return new Observation(series, time, values, tags(root));
    }

    private String series(JsonNode root) throws InvalidRecordException {
        JsonNode node = required(root, mapping.series());
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new InvalidRecordException(
                    Reason.INVALID_FIELD, "field '" + mapping.series() + "' must be a non-empty string");
        }
        String series = node.asText();
        if (series.length() > MAX_SERIES_ID_LENGTH) {
            throw new InvalidRecordException(
                    Reason.INVALID_FIELD,
                    "field '" + mapping.series() + "' is " + series.length() + " characters; at most "
                            + MAX_SERIES_ID_LENGTH + " are accepted");
        }
        return series;
    }

    private JsonNode required(JsonNode root, String field) throws InvalidRecordException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "field '" + field + "' is missing");
        }
        return node;
    }

    private long time(JsonNode node) throws InvalidRecordException {
        if (node.isNumber()) {
            double ms = node.asDouble();
            if (!Double.isFinite(ms)) {
                throw new InvalidRecordException(
                        Reason.INVALID_FIELD, "field '" + mapping.time() + "' is not a finite number: " + node);
            }
            if (ms < TimeWindow.EARLIEST || ms > TimeWindow.LATEST) {
                throw TimeWindow.outOfRange(mapping.time(), node.asText());
            }
            return Math.round(ms);
        }
        if (node.isTextual()) {
            long time = TimeText.parse(node.asText());
            if (!TimeWindow.inRange(time)) {
                throw TimeWindow.outOfRange(mapping.time(), node.asText());
            }
            return time;
        }
        throw new InvalidRecordException(
                Reason.INVALID_FIELD,
                "field '" + mapping.time() + "' must be ISO-8601 text or epoch milliseconds, not "
                        + node.getNodeType());
    }

    private double[] values(JsonNode node) throws InvalidRecordException {
        int features = mapping.features();
        if (node.isNumber()) {
            if (features != 1) {
                throw new InvalidRecordException(
                        Reason.WRONG_VECTOR_LENGTH,
                        "field '" + mapping.value() + "' has 1 value; the pipeline expects " + features);
            }
            return new double[] {finite(node, 0)};
        }
        if (node.isArray()) {
            if (node.size() != features) {
                throw new InvalidRecordException(
                        Reason.WRONG_VECTOR_LENGTH,
                        "field '" + mapping.value() + "' has " + node.size() + " values; the pipeline expects "
                                + features);
            }
            double[] values = new double[features];
            for (int i = 0; i < features; i++) {
                values[i] = finite(node.get(i), i);
            }
            return values;
        }
        if (node.isTextual() && isNonFiniteWord(node.asText())) {
            throw new InvalidRecordException(Reason.NON_FINITE, "field '" + mapping.value() + "' is " + node.asText());
        }
        throw new InvalidRecordException(
                Reason.INVALID_FIELD,
                "field '" + mapping.value() + "' must be a number or an array of numbers, not " + node.getNodeType());
    }

    private double finite(JsonNode node, int index) throws InvalidRecordException {
        if (node != null && node.isTextual() && isNonFiniteWord(node.asText())) {
            throw new InvalidRecordException(
                    Reason.NON_FINITE, "value " + index + " of field '" + mapping.value() + "' is " + node.asText());
        }
        if (node == null || !node.isNumber()) {
            throw new InvalidRecordException(
                    Reason.INVALID_FIELD, "value " + index + " of field '" + mapping.value() + "' is not a number");
        }
        double v = node.asDouble();
        if (!Double.isFinite(v)) {
            throw new InvalidRecordException(
                    Reason.NON_FINITE,
                    "value " + index + " of field '" + mapping.value() + "' is not finite: "
                            + abbreviate(node.asText()));
        }
        if (Math.abs(v) > MAX_MAGNITUDE) {
            throw new InvalidRecordException(
                    Reason.NON_FINITE,
                    "value " + index + " of field '" + mapping.value() + "' is " + v + ", beyond +-" + MAX_MAGNITUDE
                            + " where the engine's statistics would overflow; rescale the series");
        }
        return v;
    }

    private static boolean isNonFiniteWord(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        return t.equals("nan")
                || t.equals("infinity")
                || t.equals("-infinity")
                || t.equals("+infinity")
                || t.equals("inf")
                || t.equals("-inf");
    }

    private Map<String, String> tags(JsonNode root) {
        JsonNode node = root.get(mapping.tags());
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, String> tags = new HashMap<>();
        node.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return tags;
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
