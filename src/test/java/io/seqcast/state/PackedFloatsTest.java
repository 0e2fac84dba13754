package io.seqcast.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedFloatsTest {

    /** Writes and reads back {@code v}; asserts every value's bits come back and returns the bytes written. */
    static int roundTrip(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(PackedFloats.maxBytes(v.length) + 3);
        b.put((byte) 7);
        PackedFloats.write(b, v);
        int written = b.position() - 1;
        b.put((byte) 9).flip();
        b.get();
        float[] back = new float[v.length];
        PackedFloats.read(b, back);
        assertEquals(9, b.get(), "read stops where write stopped");
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "value " + i + ": " + v[i]);
        }
        assertTrue(written <= PackedFloats.maxBytes(v.length));
        return written;
    }

    /** The bytes {@code v} is written as, through a heap buffer (the fast path) or a direct one (per byte). */
    private static byte[] written(float[] v, boolean direct) {
        ByteBuffer b = direct
                ? ByteBuffer.allocateDirect(PackedFloats.maxBytes(v.length) + 2)
                : ByteBuffer.allocate(PackedFloats.maxBytes(v.length) + 2);
        b.put((byte) 7);
        PackedFloats.write(b, v);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    @Test
    void shouldWriteTheSameBytesOnTheFastPathAsByteByByte() {
        Random r = new Random(5);
        for (int n = 0; n < 300; n++) {
            float[] v = new float[n % 70];
            int scale = r.nextInt(40);
            for (int i = 0; i < v.length; i++) {
                int kind = r.nextInt(20);
                v[i] = kind == 0
                        ? 0f
                        : kind == 1
                                ? Float.NaN
                                : kind == 2
                                        ? Float.intBitsToFloat(r.nextInt())
                                        : (float) (r.nextGaussian() * Math.pow(2, r.nextInt(scale + 1) - 10));
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    written(v, true), written(v, false), "length " + v.length);
        }
    }

    @Test
    void shouldScanExponentsAVectorAtATimeAsValueByValue() {
        Random r = new Random(11);
        for (int n = 0; n < 2000; n++) {
            float[] v = new float[n % 100];
            int scale = r.nextInt(60);
            int kinds = 3 + r.nextInt(30);
            for (int i = 0; i < v.length; i++) {
                int kind = r.nextInt(kinds);
                v[i] = switch (kind) {
                    case 0 -> r.nextBoolean() ? 0f : -0f;
                    case 1 -> r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
                    case 2 -> Float.intBitsToFloat(r.nextInt());
                    case 3 -> Float.MIN_VALUE * r.nextInt(100);
                    default -> (float) (r.nextGaussian() * Math.pow(2, r.nextInt(scale + 1) - 30));
                };
            }
            int top = PackedFloats.scalarTop(v);
            assertEquals(top, VectorExponents.top(v, PackedFloats.NOT_FINITE), "length " + v.length);
            for (int t : new int[] {top, 254, 0, r.nextInt(256)}) {
                assertEquals(
                        PackedFloats.scalarEscapes(v, t),
                        VectorExponents.escapes(v, t, PackedFloats.ESCAPE),
                        "length " + v.length + ", top " + t);
            }
        }
    }

    @Test
    void shouldReturnEveryBitPatternExactly() {
        Random r = new Random(1);
        for (int n = 0; n < 40; n++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = Float.intBitsToFloat(r.nextInt());
            }
            roundTrip(v);
        }
        roundTrip(new float[] {
            0f,
            -0f,
            Float.NaN,
            Float.intBitsToFloat(0x7fc12345),
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE,
            -Float.MIN_NORMAL,
            Float.MAX_VALUE,
            1f,
            -1e-30f,
            3e7f
        });
    }

    @Test
    void shouldTakeThreeAndAHalfBytesAValueWhenTheyShareAFewOrdersOfMagnitude() {
        Random r = new Random(2);
        float[] hidden = new float[256];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) (r.nextGaussian() * 0.5); // like an LSTM's h and c: most within [-2, 2]
        }
        hidden[3] = 0.5f;
        int escapes = 0;
        for (float x : hidden) {
            escapes += Math.abs(x) < 0.5f / (1 << 14) ? 1 : 0;
        }
        assertEquals(1 + 128 + 3 * 256 + escapes, roundTrip(hidden));
        assertEquals(1 + 3 + 3 * 6, roundTrip(new float[] {1f, 1f, 1f, 1f, 1f, 1f}), "all equal");
        assertEquals(1 + 3 + 3 * 6, roundTrip(new float[6]), "all zero (a fresh hidden state)");
    }

    @Test
    void shouldFallBackToPlainFloatsWhenEscapesWouldCostMore() {
        float[] nan = new float[21];
        java.util.Arrays.fill(nan, Float.NaN);
        assertEquals(1 + 4 * 21, roundTrip(nan), "no forecast made yet");
        assertEquals(1 + 4 * 4, roundTrip(new float[] {1e30f, 0f, 1e-30f, 0f}));
    }
}
