package io.seqcast.state;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link SeriesState}, lossless: a format version byte, then the fields. Version 5 (written) takes, for
 * one feature, horizon {@code H} and {@code n} hidden floats, about {@code 95 + 3.5 * (n + H(H+1)/2 + 2H)} bytes once a
 * series runs (no alert open; an open alert adds about 14), plus about 25 for novelty statistics: the hidden state,
 * the pending forecasts, the residual statistics and the interval scales as {@link PackedFloats} (bit-exact, 3.5 bytes
 * a value); of the pending forecasts only the triangle a later observation reads (row {@code a}, made {@code a + 1}
 * steps before the next observation, from step {@code a} on); counters and times as varints, zig-zag deltas where
 * they track each other; the alert fields only while an alert is open, the window ring only in windowed mode, the
 * seasonal profiles and combined-forecast statistics only when the pipeline has them (3.5 bytes a profile bucket).
 * Measured by {@code StateSizeTest}: 1,129 bytes for an LSTM 2x64 with horizon 6 (1,402 in version 3), of which 1,024
 * would be its hidden state as plain floats; 1,672 for the machines pipeline's LSTM 2x32 with 216 profile buckets.
 *
 * <p>Reading refuses an unknown version with a message naming it: a state written by a newer seqcast must not be
 * misread by an older one. Version 4 (the same without novelty and combination) and versions 1 to 3 (fixed-width
 * fields, the whole pending matrix) are still read; the fields they lack take their initial values.
 */
public final class SeriesStateSerde implements Serde<SeriesState>, Serializer<SeriesState>, Deserializer<SeriesState> {

    /**
     * Version written by this build: 2 added the model architecture, 3 interval calibration and anomaly-likelihood
     * statistics, 4 the compact encoding (same fields), 5 novelty statistics, seasonal profiles and combined-forecast
     * statistics (and no longer the unused count of observations since a detection), 6 the anomaly likelihood of
     * issue 18 (its own residual scale, episode flags and calibrated alert level; the statistics of versions 3 to 5
     * meant something else and are dropped: the likelihood warms up again) and the kind of the open alert.
     */
    public static final byte VERSION = 6;
    /** Oldest version this build still reads; fields it lacks take their initial values. */
    public static final byte OLDEST_READABLE = 1;
    /** Version, flags, alert severity and peak score, architecture, anomaly statistics. */
    private static final int FIXED_BYTES = 1 + 1 + 1 + 1 + 8 + 4 + 8 * 7 + 1;
    private static final int HAS_TIME = 1;
    private static final int ALERT_OPEN = 2;
    private static final int HAS_NOVELTY_TIME = 4;

    @Override
    public byte[] serialize(String topic, SeriesState s) {
        if (s == null) {
            return null;
        }
        int features = s.features();
        int horizon = s.horizon();
        float[] triangle = triangle(s.pending, features, horizon);
        int noveltyFeatures = s.noveltyMean.length;
        int profiles = s.profileBucket.length;
        int candidates = s.candidateCount.length;
        // an upper bound, trimmed after writing: fixed-width fields, the varints (counters, times, residual,
        // novelty and candidate counts, profile positions) at their widest (10 bytes), float arrays at theirs
        ByteBuffer b = ByteBuffer.allocate(FIXED_BYTES + 16 * features
                + 10 * (23 + horizon + noveltyFeatures + 2 * profiles + candidates)
                + PackedFloats.maxBytes(s.hidden.length) + PackedFloats.maxBytes(triangle.length)
                + PackedFloats.maxBytes(s.residualMs.length) + PackedFloats.maxBytes(horizon)
                + PackedFloats.maxBytes(s.window.length)
                + PackedFloats.maxBytes(1 + 3 * noveltyFeatures + s.profiles.length + profiles)
                + PackedFloats.maxBytes(s.candidateMse.length + s.modelPending.length + s.recent.length));
        b.put(VERSION);
        boolean noveltyTime = s.noveltyAt != Long.MIN_VALUE;
        b.put((byte) ((s.lastTime != Long.MIN_VALUE ? HAS_TIME : 0) | (s.alertOpen() ? ALERT_OPEN : 0)
                | (noveltyTime ? HAS_NOVELTY_TIME : 0)));
        putVarint(b, features);
        putVarint(b, horizon);
        putVarint(b, s.windowLength());
        putVarint(b, s.hidden.length);
        if (s.lastTime != Long.MIN_VALUE) {
            putVarint(b, zigZag(s.lastTime));
        }
        putVarint(b, s.count);
        putVarint(b, zigZag(s.sinceReset - s.count));
        putVarint(b, zigZag(s.normCount - s.count));
        for (int f = 0; f < features; f++) {
            b.putDouble(s.mean[f]).putDouble(s.var[f]);
        }
        PackedFloats.write(b, s.hidden);
        PackedFloats.write(b, triangle);
        PackedFloats.write(b, s.residualMs);
        int previous = 0;
        for (int c : s.residualCount) {
            putVarint(b, zigZag(c - previous));
            previous = c;
        }
        PackedFloats.write(b, s.intervalScale);
        if (s.alertOpen()) {
            putVarint(b, zigZag(s.lastTime - s.alertOpenedAt));
            b.put(s.alertSeverity).putDouble(s.alertPeakScore);
            putVarint(b, s.alertNormalStreak);
            b.put(s.alertKind);
        }
        if (s.window.length > 0) {
            PackedFloats.write(b, s.window);
            putVarint(b, s.windowFill);
            putVarint(b, s.windowHead);
            putVarint(b, s.sinceRun);
        }
        b.putInt(s.architecture);
        writeLikelihood(b, s.likelihood);
        b.putDouble(s.seenMin).putDouble(s.seenMax);
        writeNovelty(b, s, noveltyTime);
        writeCombination(b, s);
        return Arrays.copyOf(b.array(), b.position());
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
                        + " versions " + OLDEST_READABLE + " to " + VERSION + ". Run the seqcast version that wrote it, or reset the application's"
                        + " state (new application.id) to start the series afresh.");
            }
            SeriesState s = version >= 4 ? readCompact(b, version) : readFixed(b, version);
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

    /** Versions 4 and 5. */
    private static SeriesState readCompact(ByteBuffer b, byte version) {
        SeriesState s = new SeriesState();
        int flags = b.get();
        int features = size(b, getVarint(b));
        int horizon = size(b, getVarint(b));
        int windowLength = size(b, getVarint(b));
        int hidden = size(b, getVarint(b));
        // the arrays to allocate, against the bytes left: every value stored takes more than a byte
        size(b, (long) horizon * horizon * features + (long) windowLength * features);
        if ((flags & HAS_TIME) != 0) {
            s.lastTime = unZigZag(getVarint(b));
        }
        s.count = getVarint(b);
        s.sinceReset = s.count + unZigZag(getVarint(b));
        s.normCount = s.count + unZigZag(getVarint(b));
        s.mean = new double[features];
        s.var = new double[features];
        for (int f = 0; f < features; f++) {
            s.mean[f] = b.getDouble();
            s.var[f] = b.getDouble();
        }
        s.hidden = new float[hidden];
        PackedFloats.read(b, s.hidden);
        float[] triangle = new float[horizon * (horizon + 1) / 2 * features];
        PackedFloats.read(b, triangle);
        s.pending = untriangle(triangle, features, horizon);
        s.residualMs = new float[horizon * features];
        PackedFloats.read(b, s.residualMs);
        s.residualCount = new int[horizon];
        int previous = 0;
        for (int k = 0; k < horizon; k++) {
            s.residualCount[k] = previous + (int) unZigZag(getVarint(b));
            previous = s.residualCount[k];
        }
        s.intervalScale = new float[horizon];
        PackedFloats.read(b, s.intervalScale);
        if ((flags & ALERT_OPEN) != 0) {
            s.alertOpenedAt = s.lastTime - unZigZag(getVarint(b));
            s.alertSeverity = b.get();
            s.alertPeakScore = b.getDouble();
            s.alertNormalStreak = (int) getVarint(b);
            if (version >= 6) {
                s.alertKind = b.get();
            }
        }
        s.window = new float[windowLength * features];
        if (windowLength > 0) {
            PackedFloats.read(b, s.window);
            s.windowFill = (int) getVarint(b);
            s.windowHead = (int) getVarint(b);
            s.sinceRun = (int) getVarint(b);
        }
        s.architecture = b.getInt();
        if (version >= 6) {
            readLikelihood(b, s.likelihood);
        } else {
            b.position(b.position() + 3 * 8); // versions 4 and 5: the likelihood of another raw surprise, dropped
            getVarint(b);
        }
        s.seenMin = b.getDouble();
        s.seenMax = b.getDouble();
        if (version >= 5) {
            readNovelty(b, s, (flags & HAS_NOVELTY_TIME) != 0);
            readCombination(b, s);
        } else {
            getVarint(b); // observations since a detection: written by version 4, never used
            s.initNovelty(1, new int[0]); // the forecaster adopts it to its profiles
        }
        return s;
    }

    /**
     * Novelty statistics: feature and profile counts, then as packed floats the last value, each feature's mean, low
     * and high, the profiles' buckets and their current sums; varints for counts and the current buckets; the time of
     * the last novelty as a delta to the last observation's (or itself before any).
     */
    private static void writeNovelty(ByteBuffer b, SeriesState s, boolean noveltyTime) {
        int features = s.noveltyMean.length;
        int profiles = s.profileBucket.length;
        putVarint(b, features);
        putVarint(b, profiles);
        putVarint(b, s.profiles.length);
        float[] floats = new float[1 + 3 * features + s.profiles.length + profiles];
        floats[0] = s.lastValue;
        System.arraycopy(s.noveltyMean, 0, floats, 1, features);
        System.arraycopy(s.noveltyLo, 0, floats, 1 + features, features);
        System.arraycopy(s.noveltyHi, 0, floats, 1 + 2 * features, features);
        System.arraycopy(s.profiles, 0, floats, 1 + 3 * features, s.profiles.length);
        System.arraycopy(s.profileSum, 0, floats, 1 + 3 * features + s.profiles.length, profiles);
        PackedFloats.write(b, floats);
        for (int c : s.noveltyCount) {
            putVarint(b, c);
        }
        for (int p = 0; p < profiles; p++) {
            putVarint(b, s.profileBucket[p] + 1L);
            putVarint(b, s.profileCount[p]);
        }
        if (noveltyTime) {
            putVarint(b, zigZag(s.lastTime == Long.MIN_VALUE ? s.noveltyAt : s.lastTime - s.noveltyAt));
        }
    }

    private static void readNovelty(ByteBuffer b, SeriesState s, boolean noveltyTime) {
        int features = size(b, getVarint(b));
        int profiles = size(b, getVarint(b));
        int buckets = size(b, getVarint(b));
        float[] floats = new float[size(b, 1L + 3L * features + buckets + profiles)];
        PackedFloats.read(b, floats);
        s.lastValue = floats[0];
        s.noveltyMean = Arrays.copyOfRange(floats, 1, 1 + features);
        s.noveltyLo = Arrays.copyOfRange(floats, 1 + features, 1 + 2 * features);
        s.noveltyHi = Arrays.copyOfRange(floats, 1 + 2 * features, 1 + 3 * features);
        s.profiles = Arrays.copyOfRange(floats, 1 + 3 * features, 1 + 3 * features + buckets);
        s.profileSum = Arrays.copyOfRange(floats, 1 + 3 * features + buckets, floats.length);
        s.noveltyCount = new int[features];
        for (int f = 0; f < features; f++) {
            s.noveltyCount[f] = (int) getVarint(b);
        }
        s.profileBucket = new int[profiles];
        s.profileCount = new int[profiles];
        for (int p = 0; p < profiles; p++) {
            s.profileBucket[p] = (int) getVarint(b) - 1;
            s.profileCount[p] = (int) getVarint(b);
        }
        if (noveltyTime) {
            long v = unZigZag(getVarint(b));
            s.noveltyAt = s.lastTime == Long.MIN_VALUE ? v : s.lastTime - v;
        }
    }

    /**
     * Combined-forecast statistics (none when the pipeline does not combine): candidates and horizon, then as packed
     * floats each candidate's error per step, the model's pending forecasts (their triangle, as for the published
     * ones) and the last values; varints for the error counts.
     */
    private static void writeCombination(ByteBuffer b, SeriesState s) {
        int candidates = s.candidateCount.length;
        int horizon = s.recent.length;
        putVarint(b, candidates);
        putVarint(b, horizon);
        if (horizon == 0) {
            return;
        }
        float[] triangle = triangle(s.modelPending, 1, horizon);
        float[] floats = new float[s.candidateMse.length + triangle.length + horizon];
        System.arraycopy(s.candidateMse, 0, floats, 0, s.candidateMse.length);
        System.arraycopy(triangle, 0, floats, s.candidateMse.length, triangle.length);
        System.arraycopy(s.recent, 0, floats, s.candidateMse.length + triangle.length, horizon);
        PackedFloats.write(b, floats);
        for (int c : s.candidateCount) {
            putVarint(b, c);
        }
    }

    private static void readCombination(ByteBuffer b, SeriesState s) {
        int candidates = size(b, getVarint(b));
        int horizon = size(b, getVarint(b));
        if (horizon == 0) {
            return;
        }
        int triangle = horizon * (horizon + 1) / 2;
        float[] floats = new float[size(b, (long) candidates * horizon + triangle + horizon)];
        PackedFloats.read(b, floats);
        s.candidateMse = Arrays.copyOfRange(floats, 0, candidates * horizon);
        s.modelPending = untriangle(Arrays.copyOfRange(floats, candidates * horizon, candidates * horizon + triangle),
                1, horizon);
        s.recent = Arrays.copyOfRange(floats, candidates * horizon + triangle, floats.length);
        s.candidateCount = new int[candidates];
        for (int c = 0; c < candidates; c++) {
            s.candidateCount[c] = (int) getVarint(b);
        }
    }

    /** Anomaly likelihood (version 6): doubles, varint counts, a flags byte. */
    private static void writeLikelihood(ByteBuffer b, io.seqcast.anomaly.LikelihoodState l) {
        b.putDouble(l.residualMs).putDouble(l.shortMean).putDouble(l.mean).putDouble(l.var).putDouble(l.alertLevel);
        putVarint(b, l.residualCount);
        putVarint(b, l.count);
        b.put((byte) ((l.red ? 1 : 0) | (l.above ? 2 : 0) | (l.episode ? 4 : 0)));
    }

    private static void readLikelihood(ByteBuffer b, io.seqcast.anomaly.LikelihoodState l) {
        l.residualMs = b.getDouble();
        l.shortMean = b.getDouble();
        l.mean = b.getDouble();
        l.var = b.getDouble();
        l.alertLevel = b.getDouble();
        l.residualCount = (int) getVarint(b);
        l.count = (int) getVarint(b);
        int flags = b.get();
        l.red = (flags & 1) != 0;
        l.above = (flags & 2) != 0;
        l.episode = (flags & 4) != 0;
    }

    /** Versions 1 to 3: fixed-width fields, length-prefixed arrays. */
    private static SeriesState readFixed(ByteBuffer b, byte version) {
        SeriesState s = new SeriesState();
        s.lastTime = b.getLong();
        s.count = b.getLong();
        s.sinceReset = b.getLong();
        s.normCount = b.getLong();
        int features = b.getInt();
        s.mean = new double[features];
        s.var = new double[features];
        for (int f = 0; f < features; f++) {
            s.mean[f] = b.getDouble();
            s.var[f] = b.getDouble();
        }
        s.hidden = getFloats(b);
        s.pending = getFloats(b);
        s.residualMs = getFloats(b);
        s.residualCount = new int[b.getInt()];
        for (int i = 0; i < s.residualCount.length; i++) {
            s.residualCount[i] = b.getInt();
        }
        s.alertOpenedAt = b.getLong();
        s.alertSeverity = b.get();
        s.alertPeakScore = b.getDouble();
        s.alertNormalStreak = b.getInt();
        s.window = getFloats(b);
        s.windowFill = b.getInt();
        s.windowHead = b.getInt();
        s.sinceRun = b.getInt();
        s.architecture = version >= 2 ? b.getInt() : 0;
        if (version >= 3) {
            s.intervalScale = getFloats(b);
            b.position(b.position() + 3 * 8 + 4); // the likelihood of another raw surprise, dropped
            s.seenMin = b.getDouble();
            s.seenMax = b.getDouble();
            b.getInt(); // observations since a detection: never used
        } else {
            s.intervalScale = new float[s.residualCount.length];
            Arrays.fill(s.intervalScale, 1f);
        }
        s.initNovelty(1, new int[0]); // the forecaster adopts it to its profiles
        return s;
    }

    /** The pending forecasts a later observation can read: row {@code a} from step {@code a} on, rows in order. */
    private static float[] triangle(float[] pending, int features, int horizon) {
        float[] triangle = new float[horizon * (horizon + 1) / 2 * features];
        int t = 0;
        for (int a = 0; a < horizon; a++) {
            int length = (horizon - a) * features;
            System.arraycopy(pending, (a * horizon + a) * features, triangle, t, length);
            t += length;
        }
        return triangle;
    }

    /** The pending matrix of a {@link #triangle}, NaN where a row's earlier steps were not stored. */
    private static float[] untriangle(float[] triangle, int features, int horizon) {
        float[] pending = new float[horizon * horizon * features];
        Arrays.fill(pending, Float.NaN);
        int t = 0;
        for (int a = 0; a < horizon; a++) {
            int length = (horizon - a) * features;
            System.arraycopy(triangle, t, pending, (a * horizon + a) * features, length);
            t += length;
        }
        return pending;
    }

    /** {@code n} as an array length, refused when the bytes left could not hold that many values. */
    private static int size(ByteBuffer b, long n) {
        if (n < 0 || n > b.remaining()) {
            throw new SerializationException("series state declares " + n + " values with " + b.remaining()
                    + " bytes left: corrupt");
        }
        return (int) n;
    }

    private static void putVarint(ByteBuffer b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.put((byte) (v & 0x7F | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    private static long getVarint(ByteBuffer b) {
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

    private static long zigZag(long v) {
        return v << 1 ^ v >> 63;
    }

    private static long unZigZag(long v) {
        return v >>> 1 ^ -(v & 1);
    }

    private static void putFloats(ByteBuffer b, float[] values) {
        b.putInt(values.length);
        for (float v : values) {
            b.putFloat(v);
        }
    }

    private static float[] getFloats(ByteBuffer b) {
        float[] values = new float[b.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = b.getFloat();
        }
        return values;
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
