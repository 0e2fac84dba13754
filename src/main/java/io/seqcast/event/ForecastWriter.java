package io.seqcast.event;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@link Forecast}'s JSON straight into a kept buffer: the bytes {@link EventJson}'s Jackson generator writes,
 * without a generator created, its buffers recycled and its field names written through its context, once per record
 * (a forecast is published for every observation accepted). Numbers are Jackson's text: doubles by its fast writer
 * (Schubfach, the shortest text that reads back to the same double), ints in decimal. A forecast whose text Jackson
 * would escape or quote (a string with a character outside printable ASCII, a quote or a backslash; a double that is
 * not finite) is written by Jackson itself. {@code ForecastWriterTest} checks the bytes against Jackson's.
 *
 * <p>Not thread-safe: one per thread (a processor keeps its own).
 */
public final class ForecastWriter {

    private static final byte[] OPEN = bytes("{\"type\":\"forecast\",\"series\":");
    private static final byte[] PIPELINE = bytes(",\"pipeline\":");
    private static final byte[] TIME = bytes(",\"time\":");
    private static final byte[] OBSERVED = bytes(",\"observed\":");
    private static final byte[] EXPECTED = bytes(",\"expected\":");
    private static final byte[] ANOMALY_SCORE = bytes(",\"anomalyScore\":");
    private static final byte[] WARMING_UP = bytes(",\"warmingUp\":true,\"model\":{\"name\":");
    private static final byte[] WARMED_UP = bytes(",\"warmingUp\":false,\"model\":{\"name\":");
    private static final byte[] VERSION = bytes(",\"version\":");
    private static final byte[] COVERAGE = bytes("},\"coverage\":");
    private static final byte[] STEPS = bytes(",\"steps\":[");
    private static final byte[] CLOSE = bytes("]}");
    private static final byte[] STEP = bytes("{\"step\":");
    private static final byte[] VALUE = bytes(",\"value\":");
    private static final byte[] LOWER = bytes(",\"lower\":");
    private static final byte[] UPPER = bytes(",\"upper\":");

    private byte[] b = new byte[1024];
    private int n;

    /** The forecast's JSON, as {@link EventJson#encode(Forecast)} writes it. */
    public byte[] write(Forecast f) {
        n = 0;
        if (!forecast(f)) {
            return EventJson.encodeByJackson(f);
        }
        return Arrays.copyOf(b, n);
    }

    /**
     * Writes the forecast field by field, each helper writing a field's name then its value; false as soon as a value
     * needs Jackson (the buffer is then abandoned).
     */
    private boolean forecast(Forecast f) {
        return stringField(OPEN, f.series())
                && stringField(PIPELINE, f.pipeline())
                && timeField(TIME, f.time())
                && numberField(OBSERVED, f.observed())
                && (f.expected() == null || stepField(EXPECTED, f.expected()))
                && numberField(ANOMALY_SCORE, f.anomalyScore())
                && stringField(f.warmingUp() ? WARMING_UP : WARMED_UP, f.model().name())
                && stringField(VERSION, f.model().version())
                && numberField(COVERAGE, f.coverage())
                && steps(f.steps());
    }

    private boolean steps(List<ForecastStep> steps) {
        raw(STEPS);
        for (int i = 0; i < steps.size(); i++) {
            if (i > 0) {
                put(',');
            }
            if (!step(steps.get(i))) {
                return false;
            }
        }
        raw(CLOSE);
        return true;
    }

    private boolean step(ForecastStep s) {
        raw(STEP);
        ascii(Integer.toString(s.step()));
        boolean written = timeField(TIME, s.time())
                && numberField(VALUE, s.value())
                && numberField(LOWER, s.lower())
                && numberField(UPPER, s.upper());
        if (written) {
            put('}');
        }
        return written;
    }

    /** {@code name} then the step's object. */
    private boolean stepField(byte[] name, ForecastStep s) {
        raw(name);
        return step(s);
    }

    /** {@code name} then the number ({@link #number}). */
    private boolean numberField(byte[] name, double v) {
        raw(name);
        return number(v);
    }

    /** {@code name} then the string ({@link #string}). */
    private boolean stringField(byte[] name, String s) {
        raw(name);
        return string(s);
    }

    /** {@code name} then the time in quotes; always written (true). */
    private boolean timeField(byte[] name, long epochMillis) {
        raw(name);
        time(epochMillis);
        return true;
    }

    /** A double as Jackson's fast writer writes it, or false when it is not finite (Jackson quotes those). */
    private boolean number(double v) {
        if (!Double.isFinite(v)) {
            return false;
        }
        ascii(NumberOutput.toString(v, true));
        return true;
    }

    private void time(long epochMillis) {
        ensure(TimeText.MAX_FAST_LENGTH + 2);
        int end = TimeText.formatInto(b, n + 1, epochMillis);
        if (end < 0) {
            // outside the years TimeText writes itself: java.time's text, printable ASCII
            put('"');
            ascii(TimeText.format(epochMillis));
            put('"');
            return;
        }
        b[n] = '"';
        b[end] = '"';
        n = end + 1;
    }

    /**
     * A string in quotes, or false when Jackson would escape any of its characters or write it as more than one byte
     * a character.
     */
    private boolean string(String s) {
        int len = s.length();
        ensure(len + 2);
        byte[] a = b;
        int p = n;
        a[p++] = '"';
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return false;
            }
            a[p++] = (byte) c;
        }
        a[p++] = '"';
        n = p;
        return true;
    }

    private void raw(byte[] text) {
        ensure(text.length);
        System.arraycopy(text, 0, b, n, text.length);
        n += text.length;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    private void ascii(String s) {
        int len = s.length();
        ensure(len);
        byte[] a = b;
        int p = n;
        for (int i = 0; i < len; i++) {
            a[p++] = (byte) s.charAt(i);
        }
        n = p;
    }

    private void put(char c) {
        ensure(1);
        b[n++] = (byte) c;
    }

    private void ensure(int bytes) {
        if (b.length - n < bytes) {
            b = Arrays.copyOf(b, Math.max(2 * b.length, n + bytes));
        }
    }
}
