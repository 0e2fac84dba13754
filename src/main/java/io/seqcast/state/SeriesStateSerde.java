package io.seqcast.state;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link SeriesState}, lossless: the ordered list of its stages' sections, each versioned on its own,
 * so that adding a stage or changing one's format does not rewrite the others.
 *
 * <p>Version 6 (written): the format version byte; a flags byte; the series' clock (its last event time as a zig-zag
 * varint, when it has one, and its count of observations as a varint); the number of sections; then per section its
 * tag (a byte), its format version (a byte), its length in bytes (a varint) and its bytes, as its {@link Section}
 * wrote them. A section of a tag the reading pipeline does not have is skipped (a stage removed); a stage whose section
 * is missing starts its slice afresh (a stage added). Sections are decoded when the pipeline's stages adopt the state,
 * each by its own stage, which refuses a section version it does not know naming both.
 *
 * <p>Reading refuses an unknown format version with a message naming it and the versions this build reads: a state
 * written by a newer seqcast must not be misread by an older one. Versions 1 to 5 (one block of every field, before
 * sections) are still read ({@link LegacyStateReader}); each stage takes its slice from them, and fields they lack
 * start afresh. Sizes: {@code StateSizeTest}.
 */
public final class SeriesStateSerde implements Serde<SeriesState>, Serializer<SeriesState>, Deserializer<SeriesState> {

    /**
     * Version written by this build: 2 added the model architecture, 3 interval calibration and anomaly-likelihood
     * statistics, 4 the compact encoding (same fields), 5 novelty statistics, seasonal profiles and combined-forecast
     * statistics, 6 a section per stage.
     */
    public static final byte VERSION = 6;
    /** Oldest version this build still reads; fields it lacks take their initial values. */
    public static final byte OLDEST_READABLE = 1;

    private static final int HAS_TIME = 1;
    /** Bytes kept for a section's length before its bytes are written: sections up to 2^35 bytes. */
    private static final int LENGTH_BYTES = 5;

    /**
     * Each thread's buffer to write states into before they are copied out: states are written once per record, and a
     * buffer allocated (and zeroed) per state, grown as it fills, cost more than the encoding. Kept up to
     * {@link #SCRATCH_KEPT} bytes.
     */
    private static final ThreadLocal<ByteBuffer[]> SCRATCH =
            ThreadLocal.withInitial(() -> new ByteBuffer[] {ByteBuffer.allocate(4096)});

    private static final int SCRATCH_KEPT = 1 << 20;

    @Override
    public byte[] serialize(String topic, SeriesState s) {
        if (s == null) {
            return null;
        }
        if (s.isLegacy()) {
            throw new IllegalStateException("a series state read from format version 5 or older is written only after"
                    + " the pipeline's stages adopted it");
        }
        ByteBuffer[] scratch = SCRATCH.get();
        StateOutput out = new StateOutput(scratch[0], s.lastTime, s.count);
        out.putByte(VERSION);
        out.putByte(s.lastTime != Long.MIN_VALUE ? HAS_TIME : 0);
        if (s.lastTime != Long.MIN_VALUE) {
            out.signed(s.lastTime);
        }
        out.varint(s.count);
        if (s.adopted()) {
            Section<?>[] sections = s.sections();
            Object[] slices = s.slices();
            out.varint(sections.length);
            for (int i = 0; i < sections.length; i++) {
                writeSection(out, sections[i], slices[i]);
            }
        } else {
            int[] tags = s.tags();
            out.varint(tags.length);
            for (int i = 0; i < tags.length; i++) {
                out.putByte(tags[i]).putByte(s.versions()[i]).varint(s.lengths()[i]);
                out.putBytes(s.data(), s.offsets()[i], s.lengths()[i]);
            }
        }
        if (out.buffer().capacity() <= SCRATCH_KEPT) {
            scratch[0] = out.buffer();
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <S> void writeSection(StateOutput out, Section<S> section, Object slice) {
        out.putByte(section.tag()).putByte(section.version());
        int lengthAt = out.position();
        int start = lengthAt + LENGTH_BYTES;
        out.position(lengthAt);
        for (int i = 0; i < LENGTH_BYTES; i++) {
            out.putByte(0);
        }
        section.write((S) slice, out);
        int length = out.position() - start;
        out.position(lengthAt);
        out.varint(length);
        int bodyAt = out.position();
        out.position(start + length);
        out.shift(start, bodyAt);
    }

    @Override
    public SeriesState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            byte version = b.get();
            if (version < OLDEST_READABLE || version > VERSION) {
                throw new SerializationException("series state has format version " + version + "; this seqcast reads"
                        + " versions " + OLDEST_READABLE + " to " + VERSION + ". Run the seqcast version that wrote it,"
                        + " or reset the application's state (new application.id) to start the series afresh.");
            }
            SeriesState s;
            if (version < 6) {
                s = SeriesState.legacy(LegacyStateReader.read(b, version));
            } else {
                StateInput in = new StateInput(b, Long.MIN_VALUE, 0);
                int flags = in.getByte();
                long lastTime = (flags & HAS_TIME) != 0 ? in.signed() : Long.MIN_VALUE;
                long count = in.varint();
                int n = in.size();
                int[] tags = new int[n];
                int[] versions = new int[n];
                int[] offsets = new int[n];
                int[] lengths = new int[n];
                for (int i = 0; i < n; i++) {
                    tags[i] = in.getByte();
                    versions[i] = in.getByte();
                    lengths[i] = in.size();
                    offsets[i] = b.position();
                    b.position(b.position() + lengths[i]);
                }
                s = SeriesState.stored(lastTime, count, data, tags, versions, offsets, lengths);
            }
            if (b.hasRemaining()) {
                throw new SerializationException("series state of " + data.length + " bytes has " + b.remaining()
                        + " bytes after its last field: corrupt");
            }
            return s;
        } catch (RuntimeException e) {
            if (e instanceof SerializationException) {
                throw e;
            }
            throw new SerializationException("series state of " + data.length + " bytes is truncated or corrupt", e);
        }
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<SeriesState> serializer() {
        return this;
    }

    @Override
    public Deserializer<SeriesState> deserializer() {
        return this;
    }
}
