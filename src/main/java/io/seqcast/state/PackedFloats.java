package io.seqcast.state;

import java.nio.ByteBuffer;

/**
 * Float arrays stored bit-exactly in about 3.5 bytes a value instead of 4: the sign and the 23 mantissa bits in three
 * bytes, and the 8-bit exponent as a 4-bit step down from the array's largest finite exponent, escaped to a whole
 * byte when the step exceeds 14 (values more than 2^14 times smaller than the largest, zeros among non-zeros, NaN,
 * infinities). The arrays a series keeps (hidden state, forecasts, error statistics) span a few binary orders of
 * magnitude, while their mantissas are noise that no lossless coder shrinks; this saves an eighth of the hidden state
 * without rounding it. An array whose escapes would cost more than that is stored as plain floats. The length is the
 * caller's to store.
 *
 * <p>Layout: one byte, the largest exponent or {@code 0xFF} for plain floats; then {@code ceil(n / 2)} bytes of 4-bit
 * steps, two values a byte, high nibble first; then three bytes a value (sign, mantissa); then one byte per escaped
 * value, its exponent, in order.
 */
final class PackedFloats {

    private static final int PLAIN = 0xFF;
    static final int ESCAPE = 15;
    static final int NOT_FINITE = 0xFF;

    private PackedFloats() {}

    /** Bytes {@link #write} takes for {@code n} values at most. */
    static int maxBytes(int n) {
        return 1 + 4 * n;
    }

    static void write(ByteBuffer b, float[] v) {
        int top = VECTOR ? VectorExponents.top(v, NOT_FINITE) : scalarTop(v);
        if (top < 0) {
            top = NOT_FINITE - 1; // every value escapes: plain floats win below
        }
        int n = v.length;
        if (b.hasArray() && b.remaining() >= maxBytes(n)) {
            writeArray(b, v, top);
            return;
        }
        if (plain(n, escapes(v, top))) {
            writePlain(b, v);
            return;
        }
        writePacked(b, v, top);
    }

    /**
     * Whether the JVM has {@code jdk.incubator.vector}: the exponents are then scanned a vector at a time
     * ({@link VectorExponents}; the two scans took about a quarter of a state's encoding value by value).
     */
    private static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** The largest finite exponent of {@code v}, or -1 when it has none. */
    static int scalarTop(float[] v) {
        int top = -1;
        for (float x : v) {
            int e = exponent(x);
            if (e != NOT_FINITE && e > top) {
                top = e;
            }
        }
        return top;
    }

    /** Values of {@code v} whose exponent is escaped below {@code top}. */
    private static int escapes(float[] v, int top) {
        return VECTOR ? VectorExponents.escapes(v, top, ESCAPE) : scalarEscapes(v, top);
    }

    static int scalarEscapes(float[] v, int top) {
        int escapes = 0;
        for (float x : v) {
            if (step(exponent(x), top) == ESCAPE) {
                escapes++;
            }
        }
        return escapes;
    }

    /** Whether plain floats take no more bytes than packed ones with {@code escapes} escaped exponents. */
    private static boolean plain(int n, int escapes) {
        return (n + 1) / 2 + 3 * n + escapes >= 4 * n;
    }

    private static void writePlain(ByteBuffer b, float[] v) {
        b.put((byte) PLAIN);
        for (float x : v) {
            b.putFloat(x);
        }
    }

    /**
     * {@link #writePacked}'s bytes straight into the backing array (this runs for every state written, for every
     * record): one simple loop per part, which the JIT compiles without a bounds check per byte; each value's three
     * bytes as one big-endian int whose fourth byte the next value (or what follows) overwrites. {@code b} has
     * {@link #maxBytes} left.
     */
    private static void writeArray(ByteBuffer b, float[] v, int top) {
        int n = v.length;
        int escapes = escapes(v, top);
        if (plain(n, escapes)) {
            writePlain(b, v);
            return;
        }
        byte[] a = b.array();
        int p = b.arrayOffset() + b.position();
        int end = p + 1 + (n + 1) / 2 + 3 * n + escapes;
        java.util.Objects.checkFromToIndex(p, end, b.arrayOffset() + b.limit());
        a[p++] = (byte) top;
        int pairs = n / 2;
        for (int i = 0; i < pairs; i++) {
            a[p + i] = (byte) (step(exponent(v[2 * i]), top) << 4 | step(exponent(v[2 * i + 1]), top));
        }
        if (n % 2 != 0) {
            a[p + pairs] = (byte) (step(exponent(v[n - 1]), top) << 4);
        }
        p += (n + 1) / 2;
        // all but the last value as ints (the last one's spare byte may lie past the end)
        for (int i = 0; i < n - 1; i++) {
            int bits = Float.floatToRawIntBits(v[i]);
            INT.set(a, p + 3 * i, (bits & 0x80000000 | (bits & 0x7FFFFF) << 8));
        }
        if (n > 0) {
            int bits = Float.floatToRawIntBits(v[n - 1]);
            int m = p + 3 * (n - 1);
            a[m] = (byte) (bits >>> 24 & 0x80 | bits >>> 16 & 0x7F);
            a[m + 1] = (byte) (bits >>> 8);
            a[m + 2] = (byte) bits;
        }
        p += 3 * n;
        if (escapes > 0) {
            for (float x : v) {
                int e = exponent(x);
                if (step(e, top) == ESCAPE) {
                    a[p++] = (byte) e;
                }
            }
        }
        b.position(p - b.arrayOffset());
    }

    private static final java.lang.invoke.VarHandle INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private static void writePacked(ByteBuffer b, float[] v, int top) {
        int n = v.length;
        b.put((byte) top);
        for (int i = 0; i < n; i += 2) {
            int low = i + 1 < n ? step(exponent(v[i + 1]), top) : 0;
            b.put((byte) (step(exponent(v[i]), top) << 4 | low));
        }
        for (float x : v) {
            int bits = Float.floatToRawIntBits(x);
            b.put((byte) (bits >>> 24 & 0x80 | bits >>> 16 & 0x7F))
                    .put((byte) (bits >>> 8))
                    .put((byte) bits);
        }
        for (float x : v) {
            int e = exponent(x);
            if (step(e, top) == ESCAPE) {
                b.put((byte) e);
            }
        }
    }

    /** Reads {@code v.length} values written by {@link #write} into {@code v}. */
    static void read(ByteBuffer b, float[] v) {
        int top = b.get() & 0xFF;
        int n = v.length;
        if (top == PLAIN) {
            for (int i = 0; i < n; i++) {
                v[i] = b.getFloat();
            }
            return;
        }
        int steps = b.position();
        int mantissas = steps + (n + 1) / 2;
        b.position(mantissas + 3 * n);
        if (b.hasArray()) {
            // from the backing array: the same values, without a bounds check per byte read
            byte[] a = b.array();
            int o = b.arrayOffset();
            java.util.Objects.checkFromToIndex(o + steps, o + mantissas + 3 * n, o + b.limit());
            int escaped = o + b.position();
            int m = o + mantissas;
            int at = o + steps;
            for (int i = 0; i < n; i++, m += 3) {
                int s = (i & 1) == 0 ? a[at] >>> 4 & 0xF : a[at++] & 0xF;
                int e = s == ESCAPE ? a[escaped++] & 0xFF : top - s;
                int hi = a[m] & 0xFF;
                v[i] = Float.intBitsToFloat(
                        (hi & 0x80) << 24 | e << 23 | (hi & 0x7F) << 16 | (a[m + 1] & 0xFF) << 8 | a[m + 2] & 0xFF);
            }
            if (escaped > o + b.limit()) {
                throw new java.nio.BufferUnderflowException();
            }
            b.position(escaped - o);
            return;
        }
        for (int i = 0; i < n; i++) {
            int s = b.get(steps + i / 2) >>> (i % 2 == 0 ? 4 : 0) & 0xF;
            int e = s == ESCAPE ? b.get() & 0xFF : top - s;
            int m = mantissas + 3 * i;
            int hi = b.get(m) & 0xFF;
            int bits =
                    (hi & 0x80) << 24 | e << 23 | (hi & 0x7F) << 16 | (b.get(m + 1) & 0xFF) << 8 | b.get(m + 2) & 0xFF;
            v[i] = Float.intBitsToFloat(bits);
        }
    }

    private static int exponent(float x) {
        return Float.floatToRawIntBits(x) >>> 23 & 0xFF;
    }

    private static int step(int exponent, int top) {
        int s = top - exponent;
        return s >= 0 && s < ESCAPE ? s : ESCAPE;
    }
}
