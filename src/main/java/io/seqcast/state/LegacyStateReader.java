package io.seqcast.state;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the series-state formats 1 to 5, written before each stage kept its own section: version 4 and 5 the compact
 * encoding (5 with novelty statistics, seasonal profiles and combined-forecast statistics), versions 1 to 3
 * fixed-width fields and the whole pending matrix. Nothing writes them any more.
 */
final class LegacyStateReader {

    private LegacyStateReader() {}

    private static final int HAS_TIME = 1;
    private static final int ALERT_OPEN = 2;
    private static final int HAS_NOVELTY_TIME = 4;

    /** The state after the version byte {@code version} (1 to 5). */
    static LegacyState read(ByteBuffer b, byte version) {
        return version >= 4 ? readCompact(b, version) : readFixed(b, version);
    }

    /** Versions 4 and 5. */
    private static LegacyState readCompact(ByteBuffer b, byte version) {
        LegacyState s = new LegacyState();
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
        s.pending = Triangle.unpack(triangle, features, horizon);
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
        }
        s.window = new float[windowLength * features];
        if (windowLength > 0) {
            PackedFloats.read(b, s.window);
            s.windowFill = (int) getVarint(b);
            s.windowHead = (int) getVarint(b);
            s.sinceRun = (int) getVarint(b);
        }
        s.architecture = b.getInt();
        s.surpriseShort = b.getDouble();
        s.surpriseMean = b.getDouble();
        s.surpriseVar = b.getDouble();
        s.surpriseCount = (int) getVarint(b);
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

    private static void readNovelty(ByteBuffer b, LegacyState s, boolean noveltyTime) {
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

    private static void readCombination(ByteBuffer b, LegacyState s) {
        int candidates = size(b, getVarint(b));
        int horizon = size(b, getVarint(b));
        if (horizon == 0) {
            return;
        }
        int triangle = horizon * (horizon + 1) / 2;
        float[] floats = new float[size(b, (long) candidates * horizon + triangle + horizon)];
        PackedFloats.read(b, floats);
        s.candidateMse = Arrays.copyOfRange(floats, 0, candidates * horizon);
        s.modelPending = Triangle.unpack(
                Arrays.copyOfRange(floats, candidates * horizon, candidates * horizon + triangle), 1, horizon);
        s.recent = Arrays.copyOfRange(floats, candidates * horizon + triangle, floats.length);
        s.candidateCount = new int[candidates];
        for (int c = 0; c < candidates; c++) {
            s.candidateCount[c] = (int) getVarint(b);
        }
    }

    /** Versions 1 to 3: fixed-width fields, length-prefixed arrays. */
    private static LegacyState readFixed(ByteBuffer b, byte version) {
        LegacyState s = new LegacyState();
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
            s.surpriseShort = b.getDouble();
            s.surpriseMean = b.getDouble();
            s.surpriseVar = b.getDouble();
            s.surpriseCount = b.getInt();
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

    /** {@code n} as an array length, refused when the bytes left could not hold that many values. */
    private static int size(ByteBuffer b, long n) {
        if (n < 0 || n > b.remaining()) {
            throw new SerializationException(
                    "series state declares " + n + " values with " + b.remaining() + " bytes left: corrupt");
        }
        return (int) n;
    }

    private static long getVarint(ByteBuffer b) {
        return new StateInput(b, Long.MIN_VALUE, 0).varint();
    }

    private static long unZigZag(long v) {
        return v >>> 1 ^ -(v & 1);
    }

    private static float[] getFloats(ByteBuffer b) {
        float[] values = new float[b.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = b.getFloat();
        }
        return values;
    }
}
