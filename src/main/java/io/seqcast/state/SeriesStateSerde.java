package io.seqcast.state;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link SeriesState}: a format version byte, then the fields as packed big-endian numbers
 * (floats for network state, doubles for normalisation): {@code 162 + 4 * (hidden + horizon^2 + 3 * horizon)} bytes
 * for one feature, measured by {@code StateSizeTest}: 890 bytes for an LSTM 2x32 with horizon 6, 1402 for 2x64.
 *
 * <p>Reading refuses an unknown version with a message naming it: a state written by a newer seqcast must not be
 * misread by an older one.
 */
public final class SeriesStateSerde implements Serde<SeriesState>, Serializer<SeriesState>, Deserializer<SeriesState> {

    /**
     * Version written by this build: 2 added the model architecture, 3 interval calibration and anomaly-likelihood
     * statistics, 4 novelty statistics, seasonal profiles and combined-forecast statistics.
     */
    public static final byte VERSION = 4;
    /** Oldest version this build still reads; fields it lacks take their initial values. */
    public static final byte OLDEST_READABLE = 1;

    @Override
    public byte[] serialize(String topic, SeriesState s) {
        if (s == null) {
            return null;
        }
        int size = 1 + 8 * 4 + 4 + 16 * s.mean.length + 4 + 4 * s.hidden.length + 4 + 4 * s.pending.length + 4
                + 4 * s.residualMs.length + 4 + 4 * s.residualCount.length + 8 + 1 + 8 + 4 + 4 + 4 * s.window.length
                + 12 + 4 + 4 + 4 * s.intervalScale.length + 8 * 3 + 4 + 8 * 2 + 4
                + 4 + 4 + 12 * s.noveltyMean.length + 4 + 4 * s.noveltyCount.length + 8 + 4 + 4 * s.profiles.length
                + 4 + 12 * s.profileBucket.length + 4 + 4 * s.candidateMse.length + 4 + 4 * s.candidateCount.length
                + 4 + 4 * s.modelPending.length + 4 + 4 * s.recent.length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION);
        b.putLong(s.lastTime).putLong(s.count).putLong(s.sinceReset).putLong(s.normCount);
        b.putInt(s.mean.length);
        for (int f = 0; f < s.mean.length; f++) {
            b.putDouble(s.mean[f]).putDouble(s.var[f]);
        }
        putFloats(b, s.hidden);
        putFloats(b, s.pending);
        putFloats(b, s.residualMs);
        b.putInt(s.residualCount.length);
        for (int c : s.residualCount) {
            b.putInt(c);
        }
        b.putLong(s.alertOpenedAt).put(s.alertSeverity).putDouble(s.alertPeakScore).putInt(s.alertNormalStreak);
        putFloats(b, s.window);
        b.putInt(s.windowFill).putInt(s.windowHead).putInt(s.sinceRun);
        b.putInt(s.architecture);
        putFloats(b, s.intervalScale);
        b.putDouble(s.surpriseShort).putDouble(s.surpriseMean).putDouble(s.surpriseVar).putInt(s.surpriseCount);
        b.putDouble(s.seenMin).putDouble(s.seenMax).putInt(s.sinceDetection);
        b.putFloat(s.lastValue);
        putFloats(b, s.noveltyMean);
        for (int f = 0; f < s.noveltyMean.length; f++) {
            b.putFloat(s.noveltyLo[f]).putFloat(s.noveltyHi[f]);
        }
        b.putInt(s.noveltyCount.length);
        for (int c : s.noveltyCount) {
            b.putInt(c);
        }
        b.putLong(s.noveltyAt);
        putFloats(b, s.profiles);
        b.putInt(s.profileBucket.length);
        for (int p = 0; p < s.profileBucket.length; p++) {
            b.putInt(s.profileBucket[p]).putFloat(s.profileSum[p]).putInt(s.profileCount[p]);
        }
        putFloats(b, s.candidateMse);
        b.putInt(s.candidateCount.length);
        for (int c : s.candidateCount) {
            b.putInt(c);
        }
        putFloats(b, s.modelPending);
        putFloats(b, s.recent);
        return b.array();
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
                s.surpriseShort = b.getDouble();
                s.surpriseMean = b.getDouble();
                s.surpriseVar = b.getDouble();
                s.surpriseCount = b.getInt();
                s.seenMin = b.getDouble();
                s.seenMax = b.getDouble();
                s.sinceDetection = b.getInt();
            } else {
                s.intervalScale = new float[s.residualCount.length];
                java.util.Arrays.fill(s.intervalScale, 1f);
            }
            if (version >= 4) {
                s.lastValue = b.getFloat();
                s.noveltyMean = getFloats(b);
                s.noveltyLo = new float[s.noveltyMean.length];
                s.noveltyHi = new float[s.noveltyMean.length];
                for (int f = 0; f < s.noveltyMean.length; f++) {
                    s.noveltyLo[f] = b.getFloat();
                    s.noveltyHi[f] = b.getFloat();
                }
                s.noveltyCount = new int[b.getInt()];
                for (int f = 0; f < s.noveltyCount.length; f++) {
                    s.noveltyCount[f] = b.getInt();
                }
                s.noveltyAt = b.getLong();
                s.profiles = getFloats(b);
                int profiles = b.getInt();
                s.profileBucket = new int[profiles];
                s.profileSum = new float[profiles];
                s.profileCount = new int[profiles];
                for (int p = 0; p < profiles; p++) {
                    s.profileBucket[p] = b.getInt();
                    s.profileSum[p] = b.getFloat();
                    s.profileCount[p] = b.getInt();
                }
                s.candidateMse = getFloats(b);
                s.candidateCount = new int[b.getInt()];
                for (int c = 0; c < s.candidateCount.length; c++) {
                    s.candidateCount[c] = b.getInt();
                }
                s.modelPending = getFloats(b);
                s.recent = getFloats(b);
            } else {
                s.initNovelty(1, new int[0]); // the forecaster adopts it to its profiles
            }
            return s;
        } catch (RuntimeException e) {
            if (e instanceof SerializationException) {
                throw e;
            }
            throw new SerializationException("series state of " + data.length + " bytes is truncated or corrupt", e);
        }
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
