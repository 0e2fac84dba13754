package io.seqcast.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classifier's per-beat inputs on a hand-made beat sequence: RR channels (against the running mean, local and
 * long-run RR), rhythm irregularity, template, noise against the patient's usual level.
 */
class BeatFeaturesTest {

    private static final double RATE = 360;
    private static final int LOG_RR_BEFORE_OVER_MEAN = 4;
    private static final int LOG_RR_AFTER_OVER_MEAN = 5;
    private static final int LOG_RR_BEFORE_OVER_LOCAL = 6;
    private static final int LOG_RR_AFTER_OVER_BEFORE = 7;
    private static final int LOG_RR_AFTER_OVER_LOCAL = 11;
    private static final int IRREGULARITY = 12;
    private static final int LOG_WIDTH_1 = 13;
    private static final int LOG_WIDTH_2 = 14;
    private static final int LOG_ENERGY_1 = 16;
    private static final int LOG_RESIDUAL = 17;
    private static final int LOG_RR_BEFORE_OVER_LONG = 18;
    private static final int LOG_RR_AFTER_OVER_LONG = 19;
    private static final int LOG_LOCAL_OVER_LONG = 20;
    private static final int NOISE_1 = 21;
    private static final int NOISE_2 = 22;

    /** A beat's window: a narrow positive spike at the R peak on lead 1 (wide if ectopic), a smaller one on lead 2. */
    private static float[] window(boolean ectopic, double gain) {
        float[] w = new float[BeatFeatures.STEPS * 2];
        double width = ectopic ? 5 : 1.5;
        for (int t = 0; t < BeatFeatures.STEPS; t++) {
            double d = t - BeatFeatures.BEFORE_STEPS;
            w[t] = (float) (gain * (ectopic ? -1.5 : 1) * Math.exp(-d * d / (2 * width * width)));
            w[BeatFeatures.STEPS + t] = (float) (gain * 0.4 * Math.exp(-d * d / (2 * width * width)));
        }
        return w;
    }

    /** Inputs of a sequence of beats given by RR intervals (samples) and which are ectopic. */
    private static List<float[][]> run(EcgState s, double[] rr, boolean[] ectopic, double gain) {
        List<float[][]> out = new ArrayList<>();
        for (int k = 0; k + 1 < rr.length; k++) {
            out.add(BeatFeatures.input(s, window(ectopic[k], gain), rr[k], rr[k + 1]));
        }
        return out;
    }

    // 12 regular beats at 1 s, a premature ectopic beat (0.7 s) and its compensatory pause (1.3 s), then regular
    private static final double[] RR = {
        360, 360, 360, 360, 360, 360, 360, 360, 360, 360, 360, 360, 252, 468, 360, 360, 360
    };
    private static final boolean[] ECTOPIC = new boolean[RR.length];

    static {
        ECTOPIC[12] = true;
    }

    @Test
    void shouldGiveThePrematureBeatItsRrRatios() {
        List<float[][]> x = run(new EcgState(RATE), RR, ECTOPIC, 1);
        float[] regular = x.get(5)[0];
        assertEquals(0, regular[LOG_RR_BEFORE_OVER_MEAN], 1e-6);
        assertEquals(0, regular[LOG_RR_AFTER_OVER_BEFORE], 1e-6);
        assertEquals(0, regular[IRREGULARITY], 1e-6);
        float[] premature = x.get(12)[0];
        assertEquals(Math.log(252.0 / 360), premature[LOG_RR_BEFORE_OVER_MEAN], 1e-6);
        assertEquals(Math.log(252.0 / 360), premature[LOG_RR_BEFORE_OVER_LOCAL], 1e-6);
        assertEquals(Math.log(468.0 / 360), premature[LOG_RR_AFTER_OVER_MEAN], 1e-6);
        assertEquals(Math.log(468.0 / 252), premature[LOG_RR_AFTER_OVER_BEFORE], 1e-6);
        assertEquals(Math.log(468.0 / 360), premature[LOG_RR_AFTER_OVER_LOCAL], 1e-6);
        // the irregularity is the rhythm's before the beat: the premature beat itself does not raise its own
        assertEquals(0, premature[IRREGULARITY], 1e-6);
        // ... the next beat sees it: a tenth of |log(252/360)|
        assertEquals(0.1 * Math.abs(Math.log(252.0 / 360)), x.get(13)[0][IRREGULARITY], 1e-6);
        // the RR channels repeat at every step
        for (float[] step : x.get(12)) {
            assertEquals(premature[LOG_RR_AFTER_OVER_LOCAL], step[LOG_RR_AFTER_OVER_LOCAL]);
        }
    }

    @Test
    void shouldMeasureTheWideEctopicBeatAgainstThePatientsTemplate() {
        List<float[][]> x = run(new EcgState(RATE), RR, ECTOPIC, 1);
        float[] regular = x.get(5)[0];
        float[] ectopic = x.get(12)[0];
        // a typical beat is its own template: same width and energy, no residual
        assertEquals(0, regular[LOG_WIDTH_1], 1e-3);
        assertEquals(0, regular[LOG_ENERGY_1], 1e-3);
        assertTrue(regular[LOG_RESIDUAL] < Math.log(0.02), "residual of a typical beat " + regular[LOG_RESIDUAL]);
        // the ectopic one (3.3 times as wide, cut by the QRS region) is wider on both leads, carries more energy and
        // differs from the template
        assertTrue(ectopic[LOG_WIDTH_1] > Math.log(1.5), "lead 1 width " + ectopic[LOG_WIDTH_1]);
        assertTrue(ectopic[LOG_WIDTH_2] > Math.log(1.5), "lead 2 width " + ectopic[LOG_WIDTH_2]);
        assertTrue(ectopic[LOG_ENERGY_1] > Math.log(2), "lead 1 energy " + ectopic[LOG_ENERGY_1]);
        assertTrue(ectopic[LOG_RESIDUAL] > 0, "residual " + ectopic[LOG_RESIDUAL]);
    }

    @Test
    void shouldKeepTheTemplateOfTypicalBeatsThroughAnEctopicOne() {
        EcgState s = new EcgState(RATE);
        run(s, RR, ECTOPIC, 1);
        float[] typical = window(false, 1);
        // the ectopic beat (inverted, wide, early) weighed a tenth: the template's R peak is still nearly the typical
        // one
        assertEquals(typical[BeatFeatures.BEFORE_STEPS], s.template[BeatFeatures.BEFORE_STEPS], 0.02);
    }

    @Test
    void shouldGiveTheSameInputsWhateverThePatientsPolarityAndAmplitude() {
        List<float[][]> a = run(new EcgState(RATE), RR, ECTOPIC, 1);
        List<float[][]> b = run(new EcgState(RATE), RR, ECTOPIC, -3.5);
        for (int k = 0; k < a.size(); k++) {
            for (int t = 0; t < BeatFeatures.STEPS; t++) {
                assertArrayEquals(a.get(k)[t], b.get(k)[t], 1e-4f, "beat " + k + " step " + t);
            }
        }
        // and the ectopic beat stands out of the template in the beat-minus-template channel
        float peak = Math.abs(a.get(12)[BeatFeatures.BEFORE_STEPS][2]);
        assertTrue(peak > 1, "beat minus template at the R peak " + peak);
        assertEquals(BeatFeatures.CHANNELS, a.get(0)[0].length);
    }

    @Test
    void shouldMeasureAnEarlyBeatInsideAFastRunAgainstTheLongRunRr() {
        // 400 beats at 1 s, then a run of 30 beats at 0.6 s: the local RR follows the run within a few beats, the
        // long-run RR (weight 0.005 per beat) hardly moves; then one beat at 0.45 s
        int slow = 400;
        int fast = 30;
        double[] rr = new double[slow + fast + 2];
        Arrays.fill(rr, 0, slow, 360);
        Arrays.fill(rr, slow, slow + fast, 216);
        rr[slow + fast] = 162;
        rr[slow + fast + 1] = 216;
        EcgState s = new EcgState(RATE);
        List<float[][]> x = run(s, rr, new boolean[rr.length], 1);
        // long-run RR before beat k: an exponential average, 360 until the run, then towards 216
        double longRr = 360;
        double local = 360;
        for (int k = 0; k < slow + fast; k++) {
            longRr += 0.005 * (rr[k] - longRr);
            local += 0.25 * (rr[k] - local);
        }
        float[] early = x.get(slow + fast)[0];
        assertEquals(Math.log(162 / longRr), early[LOG_RR_BEFORE_OVER_LONG], 1e-5);
        assertEquals(Math.log(216 / longRr), early[LOG_RR_AFTER_OVER_LONG], 1e-5);
        assertEquals(Math.log(local / longRr), early[LOG_LOCAL_OVER_LONG], 1e-5);
        // within the run, the local ratio forgot it is fast, the long-run one did not
        float[] inRun = x.get(slow + fast - 1)[0];
        assertEquals(0, inRun[LOG_RR_BEFORE_OVER_LOCAL], 1e-3);
        assertTrue(
                inRun[LOG_RR_BEFORE_OVER_LONG] < Math.log(0.7),
                "RR before over long " + inRun[LOG_RR_BEFORE_OVER_LONG]);
        // before the run, every ratio is 0
        float[] regular = x.get(slow - 1)[0];
        assertEquals(0, regular[LOG_RR_BEFORE_OVER_LONG], 1e-6);
        assertEquals(0, regular[LOG_LOCAL_OVER_LONG], 1e-6);
    }

    @Test
    void shouldGiveANoisyBeatItsNoiseAgainstThePatientsUsualLevel() {
        // beats cut from the ring: clean ones, then one with a 180 Hz ripple on lead 1 only
        EcgState s = new EcgState(RATE);
        int ring = s.lead1.length;
        List<float[][]> x = new ArrayList<>();
        double[] quality = new double[2];
        for (int k = 0; k < 12; k++) {
            boolean noisy = k == 10;
            long r = (k + 1) * 360L;
            for (long i = r - 180; i < r + 180; i++) {
                double d = (i - r) / 6.0;
                s.lead1[(int) (i % ring)] = (float) (Math.exp(-d * d / 4.5)
                        + 0.05 * Math.sin(i / 40.0)
                        + (noisy ? 0.1 * (i % 2 == 0 ? 1 : -1) : 0));
                s.lead2[(int) (i % ring)] = (float) (0.4 * Math.exp(-d * d / 4.5));
            }
            s.n = r + 180;
            float[] w = BeatFeatures.cut(s, r);
            assertEquals(BeatFeatures.WINDOW, w.length);
            if (noisy) {
                quality[0] = s.quality[0];
                quality[1] = s.quality[1];
            }
            x.add(BeatFeatures.input(s, w, 360, 360));
            if (noisy) {
                // the noise channel is the beat's quality minus the usual level before it
                float[] step = x.get(k)[0];
                assertEquals(w[BeatFeatures.STEPS * 2] - quality[0], step[NOISE_1], 1e-5);
                assertEquals(w[BeatFeatures.STEPS * 2 + 1] - quality[1], step[NOISE_2], 1e-5);
            }
        }
        assertEquals(0, x.get(0)[0][NOISE_1], 1e-6); // the first beat is its own level
        assertTrue(Math.abs(x.get(9)[0][NOISE_1]) < 0.25, "clean beat (its baseline differs) " + x.get(9)[0][NOISE_1]);
        assertTrue(x.get(10)[0][NOISE_1] > 2, "noisy beat, lead 1 " + x.get(10)[0][NOISE_1]);
        assertTrue(Math.abs(x.get(10)[0][NOISE_2]) < 0.05, "noisy beat, lead 2 (clean) " + x.get(10)[0][NOISE_2]);
        // and the noise does not depend on the lead's amplitude or polarity
        assertEquals(BeatFeatures.quality(1, 4), BeatFeatures.quality(9 * 1, 9 * 4), 1e-6);
    }
}
