package io.seqcast.state;

import java.nio.ByteBuffer;

/**
 * Everything the engine keeps per series between two observations: the series' clock (the event time of its last
 * accepted observation and how many it accepted) and one slice per stage of its pipeline, each owned by its stage
 * ({@link Section}). Absent state is the initial state. Mutable on purpose: read, advanced and written back once per
 * observation on the hot path, never shared between series or threads. Stored by {@link SeriesStateSerde}.
 *
 * <p>A state read from the store holds its sections still encoded, or the fields of an old format: the pipeline's
 * stages decode their own when they adopt it ({@link #stored}), and hold the slices from then on ({@link #slice}).
 */
public final class SeriesState {

    /** Event time of the last accepted observation, or {@link Long#MIN_VALUE} before the first. */
    public long lastTime = Long.MIN_VALUE;
    /** Observations accepted, ever. */
    public long count;

    private Section<?>[] sections;
    private Object[] slices;

    /** As read: the stored bytes and, per section, its tag, version, offset and length. */
    private byte[] data;

    private int[] tags;
    private int[] versions;
    private int[] offsets;
    private int[] lengths;
    /** As read from a format before sections (versions 1 to 5). */
    private LegacyState legacy;

    /** A state of the given slices, each owned by the section at the same index. */
    public static SeriesState of(long lastTime, long count, Section<?>[] sections, Object[] slices) {
        SeriesState s = new SeriesState();
        s.lastTime = lastTime;
        s.count = count;
        s.sections = sections;
        s.slices = slices;
        return s;
    }

    static SeriesState stored(
            long lastTime, long count, byte[] data, int[] tags, int[] versions, int[] offsets, int[] lengths) {
        SeriesState s = new SeriesState();
        s.lastTime = lastTime;
        s.count = count;
        s.data = data;
        s.tags = tags;
        s.versions = versions;
        s.offsets = offsets;
        s.lengths = lengths;
        return s;
    }

    static SeriesState legacy(LegacyState old) {
        SeriesState s = new SeriesState();
        s.lastTime = old.lastTime;
        s.count = old.count;
        s.legacy = old;
        return s;
    }

    /** The slice {@code section} owns in this (adopted) state. */
    @SuppressWarnings("unchecked")
    public <S> S slice(Section<S> section) {
        for (int i = 0; i < sections.length; i++) {
            if (sections[i] == section) {
                return (S) slices[i];
            }
        }
        throw new IllegalArgumentException("no slice of section " + section.tag() + " ("
                + section.getClass().getSimpleName() + ") in this series' state");
    }

    /**
     * The slice of {@code section} as stored: decoded from its section, taken from an old format's fields, or null
     * when the stored state has none (a stage added since, or a state never stored).
     */
    @SuppressWarnings("unchecked")
    public <S> S stored(Section<S> section) {
        if (sections != null) {
            for (int i = 0; i < sections.length; i++) {
                if (sections[i] == section
                        || sections[i].tag() == section.tag() && sections[i].getClass() == section.getClass()) {
                    return (S) slices[i];
                }
            }
            return null;
        }
        if (legacy != null) {
            return section.upgrade(legacy);
        }
        if (tags == null) {
            return null;
        }
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] == section.tag()) {
                if (versions[i] < 1 || versions[i] > section.version()) {
                    throw StateInput.unknownVersion(section, versions[i]);
                }
                StateInput in = new StateInput(
                        ByteBuffer.wrap(data, offsets[i], lengths[i]).slice(), lastTime, count);
                S slice = section.read(in, versions[i]);
                if (in.hasRemaining()) {
                    throw new org.apache.kafka.common.errors.SerializationException("series state section " + tags[i]
                            + " has " + in.remaining() + " bytes after its last field: corrupt");
                }
                return slice;
            }
        }
        return null;
    }

    /** True when the pipeline's stages hold their slices (a new or adopted state). */
    public boolean adopted() {
        return sections != null;
    }

    /** True when the slices are those of exactly {@code sections} (the same array). */
    public boolean adoptedBy(Section<?>[] sections) {
        return this.sections == sections;
    }

    /**
     * Hands the state over to {@code sections}, holding {@code slices} from now on, with the given clock: what a
     * stored state becomes when a pipeline's stages adopt it. What was stored is dropped.
     */
    public void attach(long lastTime, long count, Section<?>[] sections, Object[] slices) {
        this.lastTime = lastTime;
        this.count = count;
        this.sections = sections;
        this.slices = slices;
        this.data = null;
        this.tags = null;
        this.versions = null;
        this.offsets = null;
        this.lengths = null;
        this.legacy = null;
    }

    Section<?>[] sections() {
        return sections;
    }

    Object[] slices() {
        return slices;
    }

    byte[] data() {
        return data;
    }

    int[] tags() {
        return tags;
    }

    int[] versions() {
        return versions;
    }

    int[] offsets() {
        return offsets;
    }

    int[] lengths() {
        return lengths;
    }

    boolean isLegacy() {
        return legacy != null;
    }
}
