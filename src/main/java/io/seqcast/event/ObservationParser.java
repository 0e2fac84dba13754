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
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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

    private static final DateTimeFormatter SPACE_SEPARATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");
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
            long time = parseTime(node.asText());
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

    /**
     * Parses an event time: ISO-8601 instant or offset date-time, a local date-time (with 'T' or a space; read as
     * UTC), or a date (midnight UTC).
     */
    public static long parseTime(String text) throws InvalidRecordException {
        long fast = parseUtcInstant(text);
        if (fast != NOT_FAST) {
            return fast;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            }
            if (text.length() > 10 && text.charAt(10) == ' ') {
                return LocalDateTime.parse(text, SPACE_SEPARATED)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidRecordException(
                    Reason.INVALID_FIELD,
                    "time '" + abbreviate(text) + "' is not ISO-8601 (2014-07-01T00:00:00Z), 'yyyy-MM-dd HH:mm:ss'"
                            + " (UTC) or a date");
        }
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

    /** Formats epoch milliseconds as an ISO-8601 UTC instant: {@link Instant#toString()}'s text. */
    public static String formatTime(long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        if (day < FIRST_DAY || day > LAST_DAY) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        // every forecast and alert carries a time or two: written here rather than by DateTimeFormatter, the same text
        LocalDate date = LocalDate.ofEpochDay(day);
        int ms = (int) Math.floorMod(epochMillis, 86_400_000L);
        int milli = ms % 1000;
        char[] c = new char[milli == 0 ? 20 : 24];
        digits(c, 0, date.getYear(), 4);
        c[4] = '-';
        digits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, ms / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, ms / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, ms / 1000 % 60, 2);
        if (milli != 0) {
            c[19] = '.';
            digits(c, 20, milli, 3);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    /** Days since the epoch of 0001-01-01 and 9999-12-31: the years {@link #formatTime} writes itself. */
    private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();

    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    /** {@link #parseUtcInstant}: not of the one form it reads. */
    private static final long NOT_FAST = Long.MIN_VALUE;

    private static void digits(char[] c, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /**
     * The common form {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z} (what seqcast and most producers write) read without
     * java.time's parser, which the per-record path cannot afford; {@link #NOT_FAST} for anything else (any other
     * form, or a field out of range), which {@link #parseTime} then reads, or refuses, the general way.
     */
    private static long parseUtcInstant(String t) {
        int n = t.length();
        if ((n != 20 && n != 24)
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || (n == 24 && t.charAt(19) != '.')) {
            return NOT_FAST;
        }
        int year = number(t, 0, 4);
        int month = number(t, 5, 2);
        int day = number(t, 8, 2);
        int hour = number(t, 11, 2);
        int minute = number(t, 14, 2);
        int second = number(t, 17, 2);
        int milli = n == 24 ? number(t, 20, 3) : 0;
        if (year < 1
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || milli < 0
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_FAST;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return epochDay * 86_400_000L + hour * 3_600_000L + minute * 60_000L + second * 1000L + milli;
    }

    /** The decimal number of {@code width} ASCII digits at {@code at}; negative if any is not a digit. */
    private static int number(String t, int at, int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
