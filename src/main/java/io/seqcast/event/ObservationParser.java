package io.seqcast.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    /** Whether records of the simple form are read without Jackson's parser ({@link #simpleObject}). */
    private final boolean simple;

    public ObservationParser(FieldMapping mapping) {
        this(mapping, true);
    }

    /** With {@code simple} false every record goes through Jackson's tree: what {@code ObservationParserTest} compares. */
    ObservationParser(FieldMapping mapping, boolean simple) {
        this.mapping = mapping;
        this.simple = simple;
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
        JsonNode root = simple ? simpleObject(value) : null;
        if (root == null) {
            root = tree(value);
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

    private static JsonNode tree(byte[] value) throws InvalidRecordException {
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
        return root;
    }

    /**
     * The tree Jackson would read from {@code v} when the record has the simple form that producers write (an object
     * of the mapping's series, time and value fields only, each once; strings of printable ASCII without escapes;
     * numbers, or an array of numbers, in JSON's grammar; JSON's whitespace), read without Jackson's parser, which
     * cost more than the rest of the record's parse; null for anything else (other fields, tags, escapes, non-ASCII
     * text, null, non-numeric numbers, long numbers, malformed JSON), which {@link #tree} then reads, or refuses,
     * as before. The nodes are those Jackson makes: integers as int or long nodes, other numbers as doubles read by
     * Jackson's own {@link NumberInput#parseDouble}.
     */
    private ObjectNode simpleObject(byte[] v) {
        int n = v.length;
        int p = space(v, 0);
        if (p >= n || v[p] != '{') {
            return null;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        p = space(v, p + 1);
        while (true) {
            int end = stringEnd(v, p);
            if (end < 0) {
                return null;
            }
            String field = new String(v, p + 1, end - p - 1, StandardCharsets.ISO_8859_1);
            if (!(field.equals(mapping.series()) || field.equals(mapping.time()) || field.equals(mapping.value()))
                    || root.has(field)) {
                return null;
            }
            p = space(v, end + 1);
            if (p >= n || v[p] != ':') {
                return null;
            }
            p = space(v, p + 1);
            if (p >= n) {
                return null;
            }
            if (v[p] == '"') {
                end = stringEnd(v, p);
                if (end < 0) {
                    return null;
                }
                root.put(field, new String(v, p + 1, end - p - 1, StandardCharsets.ISO_8859_1));
                p = end + 1;
            } else if (v[p] == '[') {
                ArrayNode array = root.putArray(field);
                p = space(v, p + 1);
                if (p < n && v[p] == ']') {
                    p++;
                } else {
                    while (true) {
                        end = numberEnd(v, p);
                        if (end < 0) {
                            return null;
                        }
                        JsonNode number = number(v, p, end);
                        if (number == null) {
                            return null;
                        }
                        array.add(number);
                        p = space(v, end);
                        if (p < n && v[p] == ',') {
                            p = space(v, p + 1);
                        } else if (p < n && v[p] == ']') {
                            p++;
                            break;
                        } else {
                            return null;
                        }
                    }
                }
            } else {
                end = numberEnd(v, p);
                JsonNode number = end < 0 ? null : number(v, p, end);
                if (number == null) {
                    return null;
                }
                root.set(field, number);
                p = end;
            }
            p = space(v, p);
            if (p < n && v[p] == ',') {
                p = space(v, p + 1);
            } else if (p < n && v[p] == '}') {
                return space(v, p + 1) == n ? root : null;
            } else {
                return null;
            }
        }
    }

    /** The first index from {@code p} that is not JSON whitespace. */
    private static int space(byte[] v, int p) {
        while (p < v.length && (v[p] == ' ' || v[p] == '\n' || v[p] == '\r' || v[p] == '\t')) {
            p++;
        }
        return p;
    }

    /**
     * Where the string opened at {@code p} closes: -1 when there is no string at {@code p}, it does not close, or it
     * holds an escape, a control character or a byte outside ASCII.
     */
    private static int stringEnd(byte[] v, int p) {
        if (p >= v.length || v[p] != '"') {
            return -1;
        }
        for (int i = p + 1; i < v.length; i++) {
            byte c = v[i];
            if (c == '"') {
                return i;
            }
            if (c < 0x20 || c == '\\' || c == 0x7F) {
                return -1;
            }
        }
        return -1;
    }

    /** Where the JSON number at {@code p} ends ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}), or -1. */
    private static int numberEnd(byte[] v, int p) {
        int n = v.length;
        if (p < n && v[p] == '-') {
            p++;
        }
        if (p < n && v[p] == '0') {
            p++;
        } else if (p < n && v[p] >= '1' && v[p] <= '9') {
            p = digits(v, p);
        } else {
            return -1;
        }
        if (p < n && v[p] == '.') {
            int from = p + 1;
            p = digits(v, from);
            if (p == from) {
                return -1;
            }
        }
        if (p < n && (v[p] == 'e' || v[p] == 'E')) {
            p++;
            if (p < n && (v[p] == '+' || v[p] == '-')) {
                p++;
            }
            int from = p;
            p = digits(v, from);
            if (p == from) {
                return -1;
            }
        }
        return p;
    }

    private static int digits(byte[] v, int p) {
        while (p < v.length && v[p] >= '0' && v[p] <= '9') {
            p++;
        }
        return p;
    }

    /**
     * The node Jackson's tree holds for the number {@code v[from, to)}: an int node, a long node, or a double node;
     * null for integers of more than 18 digits and numbers of more than 64 characters, left to Jackson.
     */
    private static JsonNode number(byte[] v, int from, int to) {
        if (to - from > 64) {
            return null;
        }
        boolean integer = true;
        for (int i = from; i < to; i++) {
            if (v[i] == '.' || v[i] == 'e' || v[i] == 'E') {
                integer = false;
                break;
            }
        }
        String text = new String(v, from, to - from, StandardCharsets.ISO_8859_1);
        if (!integer) {
            return JsonNodeFactory.instance.numberNode(NumberInput.parseDouble(text, true));
        }
        if (to - from - (v[from] == '-' ? 1 : 0) > 18) {
            return null;
        }
        long l = Long.parseLong(text);
        return l == (int) l ? JsonNodeFactory.instance.numberNode((int) l) : JsonNodeFactory.instance.numberNode(l);
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
