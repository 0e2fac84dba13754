package io.seqcast.classify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link EcgState}, lossless (version 2 adds the rhythm's irregularity at the end, version 3 the long-run
 * RR and the leads' usual quality, and each queued beat window its quality per lead; versions 1 and 2 are still read:
 * what they lack starts afresh, the long-run RR from the running mean RR, and a window cut by them is read without
 * quality, {@link BeatFeatures} then treating its noise as usual): a format version byte, the sample rate, then every field in a fixed
 * order (arrays with their lengths; the rings of both leads and the band-passed lead, {@value RING} s each, are most of
 * it: about 13 KB at 360 Hz). Reading refuses an unknown version, or a state made for another ring size, naming both.
 */
public final class EcgStateSerde implements Serde<EcgState>, Serializer<EcgState>, Deserializer<EcgState> {

    /** Version written by this build. */
    public static final byte VERSION = 3;

    private static final double RING = QrsDetector.RING_S;

    @Override
    public byte[] serialize(String topic, EcgState s) {
        if (s == null) {
            return null;
        }
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(4 * (3 * s.lead1.length + s.squares.length + s.template.length) + 1024);
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            o.writeByte(VERSION);
            o.writeDouble(s.rate);
            o.writeDouble(s.startTime);
            o.writeLong(s.lastTime);
            o.writeLong(s.n);
            for (double d : new double[] {
                s.hp1,
                s.hp2,
                s.lp1,
                s.lp2,
                s.mwiSum,
                s.mwiPrev1,
                s.mwiPrev2,
                s.peakValue,
                s.learnMax,
                s.learnSum,
                s.signalLevel,
                s.noiseLevel,
                s.lastSlope,
                s.rrAverage1,
                s.rrAverage2,
                s.rrMean,
                s.rrLocal
            }) {
                o.writeDouble(d);
            }
            o.writeLong(s.peakAt);
            o.writeLong(s.lastBeat);
            o.writeLong(s.previousBeat);
            o.writeBoolean(s.learned);
            o.writeInt(s.recentCount);
            o.writeInt(s.regularCount);
            o.writeInt(s.templateCount);
            floats(o, s.lead1);
            floats(o, s.lead2);
            floats(o, s.band);
            floats(o, s.squares);
            floats(o, s.template);
            ints(o, s.recentRr);
            ints(o, s.regularRr);
            peaks(o, s.learnAt, s.learnValue, s.learnCount);
            peaks(o, s.noiseAt, s.noiseValue, s.noiseCount);
            o.writeInt(s.queueCount);
            for (int k = 0; k < s.queueCount; k++) {
                o.writeLong(s.queueAt[k]);
                o.writeBoolean(s.queueWindow[k] != null);
                if (s.queueWindow[k] != null) {
                    floats(o, s.queueWindow[k]);
                }
            }
            o.writeDouble(s.rrLast);
            o.writeDouble(s.rrIrregularity);
            o.writeDouble(s.rrLong);
            o.writeDouble(s.quality[0]);
            o.writeDouble(s.quality[1]);
        } catch (IOException e) {
            throw new SerializationException("cannot write an ECG state", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public EcgState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version < 1 || version > VERSION) {
                throw new SerializationException("ECG state format version " + version + " is not readable by this"
                        + " build, which reads versions 1 to " + VERSION + "; run the seqcast release that wrote it, or"
                        + " reset the pipeline's state");
            }
            EcgState s = new EcgState(in.readDouble());
            s.startTime = in.readDouble();
            s.lastTime = in.readLong();
            s.n = in.readLong();
            s.hp1 = in.readDouble();
            s.hp2 = in.readDouble();
            s.lp1 = in.readDouble();
            s.lp2 = in.readDouble();
            s.mwiSum = in.readDouble();
            s.mwiPrev1 = in.readDouble();
            s.mwiPrev2 = in.readDouble();
            s.peakValue = in.readDouble();
            s.learnMax = in.readDouble();
            s.learnSum = in.readDouble();
            s.signalLevel = in.readDouble();
            s.noiseLevel = in.readDouble();
            s.lastSlope = in.readDouble();
            s.rrAverage1 = in.readDouble();
            s.rrAverage2 = in.readDouble();
            s.rrMean = in.readDouble();
            s.rrLocal = in.readDouble();
            s.peakAt = in.readLong();
            s.lastBeat = in.readLong();
            s.previousBeat = in.readLong();
            s.learned = in.readBoolean();
            s.recentCount = in.readInt();
            s.regularCount = in.readInt();
            s.templateCount = in.readInt();
            readFloats(in, s.lead1, "lead ring");
            readFloats(in, s.lead2, "lead ring");
            readFloats(in, s.band, "band ring");
            readFloats(in, s.squares, "integration window");
            readFloats(in, s.template, "template");
            readInts(in, s.recentRr);
            readInts(in, s.regularRr);
            s.learnCount = readPeaks(in, s.learnAt, s.learnValue);
            s.noiseCount = readPeaks(in, s.noiseAt, s.noiseValue);
            s.queueCount = in.readInt();
            for (int k = 0; k < s.queueCount; k++) {
                s.queueAt[k] = in.readLong();
                if (in.readBoolean()) {
                    if (version >= 3) {
                        s.queueWindow[k] = new float[BeatFeatures.WINDOW];
                        readFloats(in, s.queueWindow[k], "beat window");
                    } else {
                        float[] steps = new float[BeatFeatures.STEPS * 2];
                        readFloats(in, steps, "beat window");
                        s.queueWindow[k] = Arrays.copyOf(steps, BeatFeatures.WINDOW);
                        Arrays.fill(s.queueWindow[k], steps.length, BeatFeatures.WINDOW, Float.NaN);
                    }
                }
            }
            if (version >= 2) {
                s.rrLast = in.readDouble();
                s.rrIrregularity = in.readDouble();
            }
            if (version >= 3) {
                s.rrLong = in.readDouble();
                s.quality[0] = in.readDouble();
                s.quality[1] = in.readDouble();
            } else {
                s.rrLong = s.rrMean;
            }
            return s;
        } catch (IOException e) {
            throw new SerializationException("cannot read an ECG state (" + data.length + " bytes): " + e, e);
        }
    }

    private static void floats(DataOutputStream o, float[] v) throws IOException {
        o.writeInt(v.length);
        for (float f : v) {
            o.writeFloat(f);
        }
    }

    private static void readFloats(DataInputStream in, float[] into, String what) throws IOException {
        int n = in.readInt();
        if (n != into.length) {
            throw new SerializationException("ECG state " + what + " holds " + n + " values where this build expects "
                    + into.length + " (" + RING + " s rings at the state's sample rate); reset the pipeline's state");
        }
        for (int i = 0; i < n; i++) {
            into[i] = in.readFloat();
        }
    }

    private static void ints(DataOutputStream o, int[] v) throws IOException {
        o.writeInt(v.length);
        for (int i : v) {
            o.writeInt(i);
        }
    }

    private static void readInts(DataInputStream in, int[] into) throws IOException {
        int n = in.readInt();
        if (n != into.length) {
            throw new SerializationException("ECG state RR history holds " + n + " values, expected " + into.length);
        }
        for (int i = 0; i < n; i++) {
            into[i] = in.readInt();
        }
    }

    private static void peaks(DataOutputStream o, long[] at, float[] value, int count) throws IOException {
        o.writeInt(count);
        for (int k = 0; k < count; k++) {
            o.writeLong(at[k]);
            o.writeFloat(value[k]);
        }
    }

    private static int readPeaks(DataInputStream in, long[] at, float[] value) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > at.length) {
            throw new SerializationException("ECG state holds " + count + " peaks, at most " + at.length + " expected");
        }
        for (int k = 0; k < count; k++) {
            at[k] = in.readLong();
            value[k] = in.readFloat();
        }
        return count;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<EcgState> serializer() {
        return this;
    }

    @Override
    public Deserializer<EcgState> deserializer() {
        return this;
    }
}
