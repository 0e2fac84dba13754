package io.seqcast.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.errors.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Records of the simple form are read without Jackson's parser: every record, of that form or not, valid or not,
 * gives the same observation, or the same refusal (reason and message), as through Jackson's tree.
 */
class ObservationParserTest {

    private static final String[] RECORDS = {
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":42.5}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00.250Z\",\"value\":-0}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":-0.0}",
        "{\"value\":1e3,\"time\":\"2024-01-01 00:00:00\",\"series\":\"s1\"}",
        " \n{ \"series\" : \"s1\" ,\t\"time\" : 1704067200000 , \"value\" : 7 } \r\n",
        "{\"series\":\"s1\",\"time\":1704067200000.4,\"value\":12345678901234567}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01\",\"value\":123456789012345678901234}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1e400}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":4.9e-325}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1e31}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":NaN}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":\"NaN\"}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":[1,2]}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":[1.5]}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":[]}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":null}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":true}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":01}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1.}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":.5}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":+1}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1e}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1}garbage",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1}{}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1,\"value\":2}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1,\"tags\":{\"site\":\"a\"}}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1,\"unit\":\"C\"}",
        "{\"series\":\"s\\u0031\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1}",
        "{\"series\":\"sé\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1}",
        "{\"series\":\"\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1}",
        "{\"series\":\"s1\",\"time\":\"yesterday\",\"value\":1}",
        "{\"series\":\"s1\",\"time\":\"9999-12-31T23:59:59Z\",\"value\":1}",
        "{\"series\":\"s1\",\"time\":-1e300,\"value\":1}",
        "{\"series\":\"s1\",\"value\":1}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\"}",
        "{\"series\":\"s2\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1}",
        "{\"series\":1,\"time\":\"2024-01-01T00:00:00Z\",\"value\":1}",
        "{}",
        "[]",
        "42",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":1,}",
        "{\"series\":\"s1\" \"time\":\"2024-01-01T00:00:00Z\",\"value\":1}",
        "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:00Z\",\"value\":\t-12.75E-3\n}",
    };

    @Test
    void shouldReadEveryRecordAsJacksonsTreeDoes() {
        for (FieldMapping m : mappings()) {
            for (String r : RECORDS) {
                assertSame(m, "s1", r.getBytes(StandardCharsets.UTF_8));
                assertSame(m, null, r.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void shouldReadRandomAndDamagedRecordsAsJacksonsTreeDoes() {
        Random r = new Random(3);
        int simple = 0;
        for (int i = 0; i < 30_000; i++) {
            String record = i % 3 == 0
                    ? RECORDS[r.nextInt(RECORDS.length)]
                    : "{\"series\":\"s1\",\"time\":\"2024-01-01T00:00:0" + r.nextInt(10) + "Z\",\"value\":" + number(r)
                            + "}";
            byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
            if (r.nextBoolean()) {
                bytes = damage(bytes, r);
            }
            FieldMapping m = i % 2 == 0 ? FieldMapping.DEFAULT : new FieldMapping("series", "time", "value", "tags", 2);
            if (assertSame(m, "s1", bytes)) {
                simple++;
            }
        }
        assertTrue(simple > 5_000, "records read as observations: " + simple);
    }

    /** Asserts both parsers agree on {@code value}; true when it was read as an observation. */
    private static boolean assertSame(FieldMapping m, String key, byte[] value) {
        String tree = outcome(new ObservationParser(m, false), key, value);
        String simple = outcome(new ObservationParser(m, true), key, value);
        assertEquals(tree, simple, () -> new String(value, StandardCharsets.UTF_8));
        return tree.startsWith("observation");
    }

    private static String outcome(ObservationParser p, String key, byte[] value) {
        try {
            Observation o = p.parse(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
            long[] bits = Arrays.stream(o.values())
                    .mapToLong(Double::doubleToRawLongBits)
                    .toArray();
            return "observation " + o.series() + " " + o.time() + " " + Arrays.toString(bits) + " " + o.tags();
        } catch (InvalidRecordException e) {
            return "refused " + e.reason() + ": " + e.getMessage();
        }
    }

    private static List<FieldMapping> mappings() {
        List<FieldMapping> all = new ArrayList<>();
        all.add(FieldMapping.DEFAULT);
        all.add(new FieldMapping("series", "time", "value", "tags", 2));
        all.add(new FieldMapping("series", "time", "value", null, 1));
        all.add(new FieldMapping("id", "ts", "value", "tags", 1));
        return all;
    }

    private static String number(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Long.toString(r.nextLong() >> r.nextInt(64));
            case 1 -> Double.toString(Double.longBitsToDouble(r.nextLong()));
            case 2 ->
                (r.nextBoolean() ? "-" : "") + r.nextInt(1000) + "." + r.nextInt(1000) + "e" + (r.nextInt(80) - 40);
            case 3 -> "[" + r.nextGaussian() + "," + r.nextInt(100) + "]";
            case 4 -> Float.toString((float) r.nextGaussian());
            default -> Double.toString(50 + 10 * r.nextGaussian());
        };
    }

    /** One to three bytes changed, dropped or inserted, from JSON's alphabet and beyond. */
    private static byte[] damage(byte[] v, Random r) {
        byte[] alphabet = "{}[],:\"\\ .-+eE0123456789nNaI\t\né".getBytes(StandardCharsets.UTF_8);
        List<Byte> b = new ArrayList<>();
        for (byte x : v) {
            b.add(x);
        }
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int at = r.nextInt(b.size() + 1);
            byte x = alphabet[r.nextInt(alphabet.length)];
            switch (r.nextInt(3)) {
                case 0 -> b.add(at, x);
                case 1 -> {
                    if (at < b.size()) {
                        b.remove(at);
                    }
                }
                default -> {
                    if (at < b.size()) {
                        b.set(at, x);
                    }
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
