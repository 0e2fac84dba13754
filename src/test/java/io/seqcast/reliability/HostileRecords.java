package io.seqcast.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile input records: arbitrary bytes, JSON of every wrong shape, extreme and non-finite numbers,
 * huge strings and keys, timestamps far in the past and future, mixed with valid observations of a few series (whose
 * times may go backwards: late and duplicate records).
 */
final class HostileRecords {

    private HostileRecords() {}

    /**
     * One input record.
     *
     * @param key record key bytes, or null
     * @param value record value bytes, or null
     * @param mustRefuse true when the record is invalid whatever came before it; false when it may be accepted
     * @param kind what the generator meant, for failure messages
     */
    record Input(byte[] key, byte[] value, boolean mustRefuse, String kind) {
        @Override
        public String toString() {
            String v = value == null ? "null" : new String(value, StandardCharsets.UTF_8);
            return kind + " key=" + (key == null ? "null" : abbreviate(new String(key, StandardCharsets.UTF_8)))
                    + " value=" + abbreviate(v);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...(" + s.length() + " chars)";
    }

    static Arbitrary<Input> any() {
        return Arbitraries.frequencyOf(Tuple.of(3, bytes()), Tuple.of(2, wrongShapes()), Tuple.of(6, fields()));
    }

    /** Any bytes, any key: nothing that parses as an observation object. */
    static Arbitrary<Input> bytes() {
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> keys =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.2);
        return Combinators.combine(keys, values).as((k, v) -> new Input(k, v, !startsWithBrace(v), "bytes"));
    }

    private static boolean startsWithBrace(byte[] v) {
        for (byte b : v) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return false;
    }

    /** JSON that is not an observation object, or no value at all. */
    static Arbitrary<Input> wrongShapes() {
        return Arbitraries.of(
                        "",
                        "null",
                        "true",
                        "42",
                        "-1e999",
                        "\"text\"",
                        "[]",
                        "[{\"series\":\"s0\"}]",
                        "{}",
                        "{\"series\":{\"nested\":true}}",
                        "{\"series\":\"s0\"",
                        "{\"series\":\"s0\",}",
                        "{'a':1}",
                        "{\"series\":\"s0\",\"time\":1,\"value\":1}{}",
                        "\u0000\u0001",
                        "{\"series\":\"s0\"}garbage")
                .map(v -> new Input(
                        "s0".getBytes(StandardCharsets.UTF_8),
                        v.isEmpty() ? null : v.getBytes(StandardCharsets.UTF_8),
                        !v.equals("{\"series\":\"s0\",\"time\":1,\"value\":1}{}")
                                && !v.equals("{\"series\":\"s0\"}garbage"),
                        "shape"));
    }

    /** A field of an observation: its JSON text ({@code null} leaves the field out) and whether it is valid. */
    record Field(String json, boolean valid) {}

    static Arbitrary<Field> series() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("s0", "s1", "s2", "s3").map(s -> new Field("\"" + s + "\"", true))),
                Tuple.of(
                        2,
                        Arbitraries.of(
                                new Field(null, false),
                                new Field("null", false),
                                new Field("\"\"", false),
                                new Field("17", false),
                                new Field("[\"s0\"]", false),
                                new Field("{}", false),
                                new Field("\"" + "x".repeat(257) + "\"", false),
                                new Field("\"" + "\u00e9\u6f22\ud83d\ude00".repeat(20_000) + "\"", false))),
                Tuple.of(
                        1,
                        Arbitraries.strings()
                                .ofMinLength(300)
                                .ofMaxLength(20_000)
                                .map(s -> new Field(quote(s), false))));
    }

    static Arbitrary<Field> times() {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        6,
                        Arbitraries.longs()
                                .between(1_400_000_000_000L, 1_400_100_000_000L)
                                .map(t -> new Field(Long.toString(t), true))),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                new Field("\"2014-05-13T16:53:20Z\"", true),
                                new Field("\"2014-05-13 16:53:20\"", true),
                                new Field("\"2014-05-13\"", true),
                                // far past and far future, still in Instant's range
                                new Field("-8640000000000000", true),
                                new Field("8640000000000000", true),
                                new Field("\"-271821-04-20T00:00:00Z\"", true),
                                new Field("\"+275760-09-13T00:00:00Z\"", true),
                                new Field("0", true),
                                new Field("-1", true),
                                // out of range or not a time
                                new Field("8640000000000001", false),
                                new Field("1e300", false),
                                new Field("-1e300", false),
                                new Field("NaN", false),
                                new Field("Infinity", false),
                                new Field("\"+1000000000-01-01T00:00:00Z\"", false),
                                new Field("\"yesterday\"", false),
                                new Field("\"\"", false),
                                new Field("true", false),
                                new Field("[]", false),
                                new Field("{}", false),
                                new Field(null, false),
                                new Field("null", false),
                                new Field("\"2014-13-45T99:99:99Z\"", false))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(5_000).map(s -> new Field(quote(s), false))));
    }

    static Arbitrary<Field> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.doubles().between(-1e6, 1e6).map(v -> new Field(Double.toString(v), true))),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                new Field("1e30", true),
                                new Field("-1e30", true),
                                new Field("1e-300", true),
                                new Field("4.9E-324", true),
                                new Field("-0.0", true),
                                new Field("1.7976931348623157E308", false),
                                new Field("-1.7976931348623157E308", false),
                                new Field("1e31", false),
                                new Field("-1e150", false),
                                new Field("[3.5]", true),
                                new Field("NaN", false),
                                new Field("Infinity", false),
                                new Field("-Infinity", false),
                                new Field("1e999", false),
                                new Field("-1e999", false),
                                new Field("\"NaN\"", false),
                                new Field("\"inf\"", false),
                                new Field("\"12\"", false),
                                new Field("[1,2]", false),
                                new Field("[]", false),
                                new Field("[\"1\"]", false),
                                new Field("{}", false),
                                new Field("true", false),
                                new Field(null, false),
                                new Field("null", false),
                                new Field("1" + "0".repeat(400), false))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(5_000).map(s -> new Field(quote(s), false))));
    }

    /** Observation objects built field by field; invalid if any field or the key is. */
    static Arbitrary<Input> fields() {
        Arbitrary<Integer> keyChoice = Arbitraries.integers().between(0, 11);
        Arbitrary<String> extra = Arbitraries.of(
                "",
                ",\"tags\":{\"site\":\"a\"}",
                ",\"tags\":[1,2]",
                ",\"unknown\":" + "[".repeat(200) + "]".repeat(200),
                ",\"tags\":{\"k\":{\"deep\":1}}");
        return Combinators.combine(series(), times(), values(), keyChoice, extra)
                .as((s, t, v, k, x) -> {
                    List<String> parts = new ArrayList<>();
                    if (s.json() != null) {
                        parts.add("\"series\":" + s.json());
                    }
                    if (t.json() != null) {
                        parts.add("\"time\":" + t.json());
                    }
                    if (v.json() != null) {
                        parts.add("\"value\":" + v.json());
                    }
                    String json = "{" + String.join(",", parts) + x + "}";
                    String seriesText =
                            s.valid() ? s.json().substring(1, s.json().length() - 1) : "s0";
                    byte[] key;
                    boolean keyValid;
                    if (k == 0) {
                        key = null;
                        keyValid = false;
                    } else if (k == 1) {
                        key = ("other-" + seriesText).getBytes(StandardCharsets.UTF_8);
                        keyValid = false;
                    } else if (k == 2) {
                        key = "k".repeat(200_000).getBytes(StandardCharsets.UTF_8);
                        keyValid = false;
                    } else {
                        key = seriesText.getBytes(StandardCharsets.UTF_8);
                        keyValid = true;
                    }
                    boolean valid = s.valid() && t.valid() && v.valid() && keyValid;
                    return new Input(
                            key,
                            json.getBytes(StandardCharsets.UTF_8),
                            !valid,
                            "fields(" + (valid ? "valid" : "invalid") + ")");
                });
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
