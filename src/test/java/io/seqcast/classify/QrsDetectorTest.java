package io.seqcast.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming QRS detector on a synthetic two-lead ECG whose beats are known: P, QRS and T waves of varied RR
 * (premature beats included), baseline wander and noise, its polarity and amplitude changing between patients.
 */
class QrsDetectorTest {

    static final double RATE = 360;

    /** A synthetic record: samples of both leads and the R peak positions. */
    record Synthetic(float[] lead1, float[] lead2, List<Long> beats) {}

    static Synthetic synthetic(long seed, double seconds, double polarity, double amplitude) {
        Random random = new Random(seed);
        int n = (int) (seconds * RATE);
        float[] a = new float[n];
        float[] b = new float[n];
        List<Long> beats = new ArrayList<>();
        double t = 0.4 + random.nextDouble() * 0.3;
        while (t < seconds - 0.5) {
            long r = Math.round(t * RATE);
            beats.add(r);
            boolean ventricular = random.nextDouble() < 0.1;
            for (int i = (int) Math.max(0, r - 0.3 * RATE); i < Math.min(n, r + 0.5 * RATE); i++) {
                double dt = (i - r) / RATE;
                double qrsWidth = ventricular ? 0.03 : 0.012;
                double qrs = (ventricular ? -1.2 : 1.0) * Math.exp(-dt * dt / (2 * qrsWidth * qrsWidth))
                        - 0.2 * Math.exp(-(dt - 0.03) * (dt - 0.03) / (2 * 0.008 * 0.008));
                double p = ventricular ? 0 : 0.12 * Math.exp(-(dt + 0.16) * (dt + 0.16) / (2 * 0.02 * 0.02));
                double tw = 0.3 * Math.exp(-(dt - 0.25) * (dt - 0.25) / (2 * 0.04 * 0.04));
                a[i] += (float) (polarity * amplitude * (qrs + p + tw));
                b[i] += (float) (0.5 * amplitude * (-qrs + tw));
            }
            double rr = 0.6 + 0.4 * random.nextDouble();
            t += random.nextDouble() < 0.1 ? 0.65 * rr : rr; // some premature beats
        }
        for (int i = 0; i < n; i++) {
            double wander = 0.3 * Math.sin(2 * Math.PI * 0.2 * i / RATE);
            a[i] += (float) (wander + 0.02 * random.nextGaussian());
            b[i] += (float) (wander + 0.02 * random.nextGaussian());
        }
        return new Synthetic(a, b, beats);
    }

    private static List<DetectedBeat> run(Synthetic s, BeatStream stream, EcgState state, int from, int to) {
        List<DetectedBeat> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            stream.push(state, s.lead1()[i], s.lead2()[i], out::add);
        }
        return out;
    }

    @Test
    void shouldFindEveryBeatOfASyntheticEcgAndNothingElse() {
        for (double[] patient : new double[][] {{1, 1}, {-1, 0.3}, {1, 4}}) {
            Synthetic s = synthetic(7, 120, patient[0], patient[1]);
            BeatStream stream = new BeatStream(RATE);
            List<DetectedBeat> found = run(s, stream, EcgState.startingAt(RATE, 0), 0, s.lead1().length);
            // every beat but the last (published once the next beat or 3 s have come) within 50 ms of the truth
            List<Long> truth = s.beats().subList(0, s.beats().size() - 1);
            assertEquals(
                    truth.size(),
                    found.size(),
                    "beats found with polarity " + patient[0] + ", amplitude " + patient[1]);
            for (int k = 0; k < truth.size(); k++) {
                long error = Math.abs(found.get(k).sample() - truth.get(k));
                assertTrue(error <= 0.05 * RATE, "beat " + k + " found " + error + " samples from its R peak");
            }
        }
    }

    @Test
    void shouldReleaseEachBeatWithinItsRrAfterPlusABoundedDelay() {
        Synthetic s = synthetic(11, 60, 1, 1);
        BeatStream stream = new BeatStream(RATE);
        EcgState state = EcgState.startingAt(RATE, 0);
        for (int i = 0; i < s.lead1().length; i++) {
            int at = i;
            stream.push(state, s.lead1()[i], s.lead2()[i], b -> {
                double delay = (at - b.sample()) / RATE;
                assertTrue(
                        delay <= b.rrAfter() + 0.6 || b.sample() < 2.5 * RATE,
                        "beat at " + b.sample() + " released " + delay + " s later, RR after " + b.rrAfter());
            });
        }
    }

    @Test
    void shouldFindTheSameBeatsWhenItsStateIsStoredAndRestoredMidway() {
        Synthetic s = synthetic(3, 40, 1, 1);
        BeatStream stream = new BeatStream(RATE);
        List<DetectedBeat> whole = run(s, stream, EcgState.startingAt(RATE, 0), 0, s.lead1().length);
        EcgStateSerde serde = new EcgStateSerde();
        EcgState state = EcgState.startingAt(RATE, 0);
        List<DetectedBeat> parts = new ArrayList<>();
        for (int from = 0; from < s.lead1().length; from += 3601) {
            parts.addAll(run(s, stream, state, from, Math.min(s.lead1().length, from + 3601)));
            EcgState restored = serde.deserialize("t", serde.serialize("t", state));
            assertEquals(state, restored);
            state = restored;
        }
        assertEquals(whole.size(), parts.size());
        for (int k = 0; k < whole.size(); k++) {
            assertEquals(whole.get(k).sample(), parts.get(k).sample());
            assertEquals(whole.get(k).rrBefore(), parts.get(k).rrBefore(), 1e-12);
            for (int t = 0; t < BeatFeatures.STEPS; t++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        whole.get(k).input()[t], parts.get(k).input()[t]);
            }
        }
    }

    /** A state after some beats, its queue emptied, so that the older formats are a prefix of its bytes. */
    private static EcgState stateWithoutQueue() {
        Synthetic s = synthetic(3, 20, 1, 1);
        EcgState state = EcgState.startingAt(RATE, 0);
        run(s, new BeatStream(RATE), state, 0, s.lead1().length);
        assertTrue(state.rrLast > 0 && state.rrLong > 0, "beats were published");
        state.queueCount = 0;
        return state;
    }

    @Test
    void shouldReadAFormatOneStateWithoutTheRhythmsIrregularity() {
        EcgState state = stateWithoutQueue();
        EcgStateSerde serde = new EcgStateSerde();
        byte[] v3 = serde.serialize("t", state);
        // format 1 is format 3 without the last five doubles (RR before the last beat, irregularity, long-run RR,
        // the leads' usual quality)
        byte[] v1 = Arrays.copyOf(v3, v3.length - 40);
        v1[0] = 1;
        EcgState restored = serde.deserialize("t", v1);
        assertEquals(0, restored.rrLast);
        assertEquals(0, restored.rrIrregularity);
        assertEquals(state.rrMean, restored.rrLong);
        restored.rrLast = state.rrLast;
        restored.rrIrregularity = state.rrIrregularity;
        restored.rrLong = state.rrLong;
        restored.quality[0] = state.quality[0];
        restored.quality[1] = state.quality[1];
        assertEquals(state, restored);
    }

    @Test
    void shouldReadAFormatTwoStateWithABeatWindowCutWithoutQuality() {
        EcgState state = stateWithoutQueue();
        float[] window = new float[BeatFeatures.WINDOW];
        for (int i = 0; i < window.length; i++) {
            window[i] = i * 0.01f;
        }
        state.queueAt[0] = state.n - 10;
        state.queueWindow[0] = window;
        state.queueCount = 1;
        EcgStateSerde serde = new EcgStateSerde();
        byte[] v3 = serde.serialize("t", state);
        // format 2: the window without its two quality floats, and without the last three doubles
        int end = v3.length - 24;
        int qualityAt = end - 16 - 8;
        java.nio.ByteBuffer v2 = java.nio.ByteBuffer.allocate(v3.length - 24 - 8);
        v2.put(v3, 0, qualityAt);
        v2.put(v3, qualityAt + 8, 16);
        v2.putInt(qualityAt - BeatFeatures.STEPS * 2 * 4 - 4, BeatFeatures.STEPS * 2); // the window's length
        v2.put(0, (byte) 2);
        EcgState restored = serde.deserialize("t", v2.array());
        assertEquals(state.rrLast, restored.rrLast);
        assertEquals(state.rrMean, restored.rrLong);
        assertTrue(Double.isNaN(restored.quality[0]) && Double.isNaN(restored.quality[1]));
        float[] read = restored.queueWindow[0];
        assertEquals(BeatFeatures.WINDOW, read.length);
        for (int i = 0; i < BeatFeatures.STEPS * 2; i++) {
            assertEquals(window[i], read[i]);
        }
        assertTrue(Float.isNaN(read[BeatFeatures.STEPS * 2]) && Float.isNaN(read[BeatFeatures.STEPS * 2 + 1]));
        // its beat is classified with its noise as usual, and the usual level starts with the next window that has one
        float[][] x = BeatFeatures.input(restored, read, 300, 300);
        assertEquals(0, x[0][21]);
        assertEquals(0, x[0][22]);
        assertTrue(Double.isNaN(restored.quality[0]));
    }

    @Test
    void shouldRefuseAStateOfAnUnknownVersion() {
        EcgStateSerde serde = new EcgStateSerde();
        byte[] bytes = serde.serialize("t", EcgState.startingAt(RATE, 0));
        bytes[0] = 99;
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.common.errors.SerializationException.class, () -> serde.deserialize("t", bytes));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }
}
