package io.seqcast.state;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Where a {@link Section} reads its slice from: the counterpart of {@link StateOutput}, bounded to the section's
 * bytes. Sizes read from the bytes are checked against what is left ({@link #size}), so corrupt bytes fail as
 * corrupt, not as an out-of-memory error.
 */
public final class StateInput {

    private final ByteBuffer b;
    private final long lastTime;
    private final long count;

    StateInput(ByteBuffer b, long lastTime, long count) {
        this.b = b;
        this.lastTime = lastTime;
        this.count = count;
    }

    /** Event time of the series' last accepted observation, or {@link Long#MIN_VALUE} before the first. */
    public long lastTime() {
        return lastTime;
    }

    /** Observations the series has accepted. */
    public long count() {
        return count;
    }

    public long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte next = b.get();
            v |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                return v;
            }
        }
        throw new SerializationException("series state has a malformed varint: corrupt");
    }

    public long signed() {
        long v = varint();
        return v >>> 1 ^ -(v & 1);
    }

    /** A varint as an array length, refused when the bytes left could not hold that many values. */
    public int size() {
        return size(varint());
    }

    /** {@code n} as an array length, refused when the bytes left could not hold that many values. */
    public int size(long n) {
        if (n < 0 || n > b.remaining()) {
            throw new SerializationException(
                    "series state declares " + n + " values with " + b.remaining() + " bytes left: corrupt");
        }
        return (int) n;
    }

    public byte getByte() {
        return b.get();
    }

    public int getInt() {
        return b.getInt();
    }

    public double getDouble() {
        return b.getDouble();
    }

    /** {@code n} values written by {@link StateOutput#floats}. */
    public float[] floats(int n) {
        float[] v = new float[size(n)];
        PackedFloats.read(b, v);
        return v;
    }

    /** True while the section has bytes left: a section may end early when its remaining fields are absent. */
    public boolean hasRemaining() {
        return b.hasRemaining();
    }

    int remaining() {
        return b.remaining();
    }

    /** The exception for a section version this build does not read. */
    public static SerializationException unknownVersion(Section<?> section, int version) {
        return new SerializationException("series state section " + section.tag() + " ("
                + section.getClass().getSimpleName() + ") has format version " + version
                + "; this seqcast reads versions 1 to "
                + section.version() + ". Run the seqcast version that wrote it, or reset the application's state (new"
                + " application.id) to start the series afresh.");
    }
}
