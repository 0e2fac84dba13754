package io.seqcast.state;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where a {@link Section} writes its slice: varints, zig-zag varints, doubles, bytes and float arrays (as
 * {@link PackedFloats}, bit-exact, about 3.5 bytes a value). Times and counters may be written relative to the
 * series' own clock ({@link #lastTime}, {@link #count}), which the serde stores once for all sections.
 */
public final class StateOutput {

    private ByteBuffer b;
    private final long lastTime;
    private final long count;

    StateOutput(int capacity, long lastTime, long count) {
        this(ByteBuffer.allocate(capacity), lastTime, count);
    }

    /** Writes into {@code buffer} from its start (whatever it held), growing it into a new one when it is full. */
    StateOutput(ByteBuffer buffer, long lastTime, long count) {
        this.b = buffer.clear();
        this.lastTime = lastTime;
        this.count = count;
    }

    /** The buffer written into (grown or not). */
    ByteBuffer buffer() {
        return b;
    }

    /** Event time of the series' last accepted observation, or {@link Long#MIN_VALUE} before the first. */
    public long lastTime() {
        return lastTime;
    }

    /** Observations the series has accepted. */
    public long count() {
        return count;
    }

    private void ensure(int bytes) {
        if (b.remaining() < bytes) {
            b = ByteBuffer.wrap(Arrays.copyOf(b.array(), Math.max(2 * b.capacity(), b.position() + bytes)))
                    .position(b.position());
        }
    }

    public StateOutput varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            b.put((byte) (v & 0x7F | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
        return this;
    }

    /** A signed value, small in magnitude either way (zig-zag). */
    public StateOutput signed(long v) {
        return varint(v << 1 ^ v >> 63);
    }

    public StateOutput putByte(int v) {
        ensure(1);
        b.put((byte) v);
        return this;
    }

    public StateOutput putInt(int v) {
        ensure(4);
        b.putInt(v);
        return this;
    }

    public StateOutput putDouble(double v) {
        ensure(8);
        b.putDouble(v);
        return this;
    }

    /** The values of {@code v}, bit-exact; the length is the caller's to store. */
    public StateOutput floats(float[] v) {
        ensure(PackedFloats.maxBytes(v.length));
        PackedFloats.write(b, v);
        return this;
    }

    int position() {
        return b.position();
    }

    void position(int p) {
        b.position(p);
    }

    void putBytes(byte[] data, int offset, int length) {
        ensure(length);
        b.put(data, offset, length);
    }

    /** Moves the bytes from {@code from} to the current position back to {@code to}. */
    void shift(int from, int to) {
        int length = b.position() - from;
        System.arraycopy(b.array(), from, b.array(), to, length);
        b.position(to + length);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(b.array(), b.position());
    }
}
