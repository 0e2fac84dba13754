package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.classify.AamiClass;
import io.seqcast.classify.DetectedBeat;
import io.seqcast.classify.EcgRecord;
import io.seqcast.training.HeartbeatTraining.RecordBeats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Noise-stressed training copies: deterministic, at the signal-to-noise ratio asked, never of a held-out record. */
class NoiseStressTest {

    private static final double RATE = 360;

    /** A synthetic record: triangular QRS complexes of peak-to-peak {@code amplitude} mV every 0.8 s. */
    private static EcgRecord synthetic(String name, double minutes, double amplitude) {
        int n = (int) (minutes * 60 * RATE);
        float[] lead1 = new float[n];
        float[] lead2 = new float[n];
        List<EcgRecord.Annotation> beats = new ArrayList<>();
        for (int at = 200; at + 20 < n; at += (int) (0.8 * RATE)) {
            beats.add(new EcgRecord.Annotation(at, "N", AamiClass.N));
            for (int i = -10; i <= 10; i++) {
                float v = (float) (amplitude * (1 - Math.abs(i) / 10.0));
                lead1[at + i] = v;
                lead2[at + i] = v / 2;
            }
        }
        return new EcgRecord(name, RATE, lead1, lead2, beats, List.of());
    }

    @Test
    void shouldGiveTheSameNoiseForTheSameSeedAndOtherNoiseForAnother() {
        EcgRecord clean = synthetic("mitdb_900", 5, 2);
        NoiseStress stress = new NoiseStress(0, 12);

        NoiseStress.Stressed a = stress.stress(clean, 42, 0);
        NoiseStress.Stressed b = stress.stress(clean, 42, 0);
        NoiseStress.Stressed other = stress.stress(clean, 7, 0);
        NoiseStress.Stressed secondCopy = stress.stress(clean, 42, 1);

        assertArrayEquals(a.record().lead1(), b.record().lead1());
        assertArrayEquals(a.record().lead2(), b.record().lead2());
        assertFalse(Arrays.equals(a.record().lead1(), other.record().lead1()));
        assertFalse(Arrays.equals(a.record().lead1(), secondCopy.record().lead1()));
        assertEquals(clean.beats(), a.record().beats());
        assertArrayEquals(new float[] {0, 0}, Arrays.copyOf(clean.lead1(), 2)); // the clean record is left alone
    }

    @Test
    void shouldAddNoiseAtTheSignalToNoiseRatioAskedInStretchesCoveringAboutAThird() {
        EcgRecord clean = synthetic("mitdb_901", 30, 2);
        NoiseStress.Stressed stressed = new NoiseStress(6, 6).stress(clean, 42, 0);

        assertFalse(stressed.stretches().isEmpty());
        long noisy = 0;
        for (int[] s : stressed.stretches()) {
            double seconds = (s[1] - s[0]) / RATE;
            assertTrue(seconds <= NoiseStress.MAX_STRETCH_S + 1e-9, "stretch of " + seconds + " s");
            noisy += s[1] - s[0];
            // S = a^2/8, a the peak-to-peak QRS amplitude: 2 mV on lead 1, 1 mV on lead 2
            assertEquals(6, snr(clean.lead1(), stressed.record().lead1(), s, 2), 0.01);
            assertEquals(6, snr(clean.lead2(), stressed.record().lead2(), s, 1), 0.01);
        }
        double coverage = noisy / (double) clean.size();
        assertTrue(coverage > 0.2 && coverage < 0.5, "noisy share " + coverage);
        for (int i = 0; i < clean.size(); i++) {
            if (!stressed.noisy(i)) {
                assertEquals(clean.lead1()[i], stressed.record().lead1()[i], "sample " + i);
            }
        }
    }

    @Test
    void shouldSetTheNoiseAgainstTheRecordsOwnQrsAmplitude() {
        assertEquals(
                4.0 / 8,
                NoiseStress.qrsPower(synthetic("a", 1, 2), synthetic("a", 1, 2).lead1()),
                1e-6);
        assertEquals(
                0.25 / 8,
                NoiseStress.qrsPower(synthetic("b", 1, 1), synthetic("b", 1, 1).lead2()),
                1e-6);
        EcgRecord none = new EcgRecord("c", RATE, new float[100], new float[100], List.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> new NoiseStress(0, 12).stress(none, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new NoiseStress(12, 0));
    }

    @Test
    void shouldKeepMostPowerOfTheMuscleNoiseBetweenFiveAndFortyHertz() {
        double[] x = NoiseStress.bandLimited(new Random(1), 1 << 15, RATE, 5, 40);
        double in = 0;
        double total = 0;
        // power spectrum by a plain DFT at a grid of frequencies
        for (double f = 0.25; f < RATE / 2; f += 0.25) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < x.length; i += 1) {
                re += x[i] * Math.cos(2 * Math.PI * f * i / RATE);
                im += x[i] * Math.sin(2 * Math.PI * f * i / RATE);
            }
            double p = re * re + im * im;
            total += p;
            if (f >= 3 && f <= 60) {
                in += p;
            }
        }
        assertTrue(in / total > 0.75, "share of the power in 3 to 60 Hz: " + in / total);
    }

    @Test
    void shouldNeverAugmentTheHeldOutFold() {
        List<RecordBeats> beats = new ArrayList<>();
        Map<String, List<RecordBeats>> noisy = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            String name = "mitdb_" + (100 + i);
            beats.add(new RecordBeats(name, List.of(), new int[0]));
            noisy.put(
                    name,
                    List.of(
                            new RecordBeats(name + "/noise1", List.of(), new int[0]),
                            new RecordBeats(name + "/noise2", List.of(), new int[0])));
        }
        for (int f = 0; f < 3; f++) {
            InterPatientTraining.Fold fold = InterPatientTraining.Fold.of(beats, noisy, 3, f);
            List<String> test = fold.test().stream().map(RecordBeats::record).toList();
            List<String> train = fold.train().stream().map(RecordBeats::record).toList();
            assertFalse(test.isEmpty());
            assertEquals(2 * train.size(), fold.trainNoisy().size());
            for (RecordBeats copy : fold.trainNoisy()) {
                String of = copy.record().substring(0, copy.record().indexOf('/'));
                assertTrue(train.contains(of), copy.record() + " is a copy of a training record");
                assertFalse(test.contains(of), copy.record() + " is a copy of a held-out record");
            }
        }
    }

    @Test
    void shouldTakeAtMostHalfTheCapsFromEachNoisyCopy() {
        RecordBeats clean = normalBeats("mitdb_100", 100);
        RecordBeats copy = normalBeats("mitdb_100/noise1", 100);

        assertEquals(
                40,
                HeartbeatTraining.examples(List.of(clean), List.of(), 40, 10, 1).size());
        assertEquals(
                60,
                HeartbeatTraining.examples(List.of(clean), List.of(copy), 40, 10, 1)
                        .size());
    }

    private static RecordBeats normalBeats(String name, int n) {
        List<DetectedBeat> beats = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            beats.add(new DetectedBeat(k, k, 1, 1, 1, new float[][] {{k}}));
        }
        return new RecordBeats(name, beats, new int[n]);
    }

    private static double snr(float[] clean, float[] stressed, int[] stretch, double amplitude) {
        double square = 0;
        for (int i = stretch[0]; i < stretch[1]; i++) {
            double e = stressed[i] - clean[i];
            square += e * e;
        }
        return 10 * Math.log10(amplitude * amplitude / 8 / (square / (stretch[1] - stretch[0])));
    }
}
