package io.seqcast.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classifier's per-beat inputs on a hand-made beat sequence: RR channels, rhythm irregularity, template. */
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
}
