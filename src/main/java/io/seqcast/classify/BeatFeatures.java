package io.seqcast.classify;

/**
 * What the beat classifier reads of a beat, made so that no patient's polarity or amplitude is assumed. A beat's
 * window is both leads from {@value #BEFORE_STEPS} to {@value #AFTER_STEPS} steps around its R peak, each step the
 * mean of a block of samples ({@link #block}: 6 at 360 Hz, so 60 Hz; 0.25 s before to 0.4 s after), each lead minus
 * its window mean. The patient's running average beat (the template: every beat's window averaged, ectopic-looking
 * beats, whose correlation with the template is below {@value #TYPICAL_CORRELATION}, with a tenth of the weight)
 * gives, per lead, a polarity (the sign of the template at the R peak) and a scale (its largest absolute value). Every
 * step of the input holds {@value #CHANNELS} channels:
 *
 * <ol start="0">
 *   <li>lead 1 and 2 of the beat times polarity over scale (clipped to +-{@value #CLIP});
 *   <li>
 *   <li>lead 1 and 2 of the beat minus the template, the same way;
 *   <li>
 *   <li>log of the RR interval before the beat over the patient's running mean RR ({@value #MEAN_RR_WEIGHT} weight per
 *       beat);
 *   <li>log of the RR interval after the beat over the running mean RR;
 *   <li>log of the RR before over the local RR (weight {@value #LOCAL_RR_WEIGHT} per beat);
 *   <li>log of the RR after over the RR before;
 *   <li>RR before in seconds minus 0.8;
 *   <li>correlation of lead 1 and of lead 2 with the template;
 *   <li>
 *   <li>log of the RR after over the local RR;
 *   <li>the rhythm's irregularity: running mean ({@value #IRREGULARITY_WEIGHT} weight per beat) of the absolute log
 *       ratio of successive RR intervals, from the beats before this one (high in atrial fibrillation, where an early
 *       beat is not a premature one);
 *   <li>log of the QRS width ({@link #qrsWidth}) of lead 1 and of lead 2 over the template's (ventricular beats are
 *       wide, supraventricular ones as narrow as the patient's normal beat);
 *   <li>
 *   <li>the QRS width of lead 1 in tenths of a second;
 *   <li>log of the beat's energy over the template's, lead 1;
 *   <li>log of the energy of the beat minus the template over the template's, mean of both leads (plus 0.01);
 *   <li>log of the RR before over the patient's long-run RR ({@value #LONG_RR_WEIGHT} weight per beat: about the last
 *       three minutes; a premature beat is early against it even inside a run of premature beats, where the local
 *       and mean RR have followed the run);
 *   <li>log of the RR after over the long-run RR;
 *   <li>log of the local RR over the long-run RR (a run of fast beats);
 *   <li>the beat's noise against the patient's usual level, lead 1 and lead 2: its {@linkplain #quality quality} (log of
 *       the energy above the step rate over the energy of the steps) minus the running mean of it
 *       ({@value #QUALITY_WEIGHT} weight per beat; a noisy stretch, where a normal beat looks odd, stands out).
 *   <li>
 * </ol>
 *
 * <p>Widths and energies are ratios within a lead, so they too are free of the patient's polarity and amplitude.
 *
 * <p>The template follows typical beats: a beat whose lead 1 correlates below {@value #TYPICAL_CORRELATION} with it,
 * or that comes early (RR before below {@value #PREMATURE} of the local RR), weighs a tenth, so that ectopic beats
 * (bigeminy: every other beat) do not pull the template towards themselves.
 *
 * The RR channels and correlations repeat at every step. A beat is published once the next beat is found (its RR
 * after is known) or {@value #MAX_WAIT_S} s have passed without one (its RR after is then the time waited).
 */
public final class BeatFeatures {

    public static final int BEFORE_STEPS = 15;
    public static final int AFTER_STEPS = 24;
    public static final int STEPS = BEFORE_STEPS + AFTER_STEPS;
    public static final int CHANNELS = 23;
    /** The first of the channels that describe the beat as a whole (RR, correlation, morphology, noise). */
    public static final int PER_BEAT = 4;
    /**
     * Length of a cut window ({@link #cut}): both leads' {@value #STEPS} steps, then each lead's {@link #quality}.
     */
    static final int WINDOW = STEPS * 2 + 2;
    /** Names of the channels, in input order (the list above). */
    public static final java.util.List<String> CHANNEL_NAMES = java.util.List.of(
            "lead1",
            "lead2",
            "lead1-minus-template",
            "lead2-minus-template",
            "log-rr-before-over-mean",
            "log-rr-after-over-mean",
            "log-rr-before-over-local",
            "log-rr-after-over-before",
            "rr-before-s-minus-0.8",
            "lead1-correlation",
            "lead2-correlation",
            "log-rr-after-over-local",
            "rr-irregularity",
            "lead1-log-qrs-width-over-template",
            "lead2-log-qrs-width-over-template",
            "lead1-qrs-width-s",
            "lead1-log-energy-over-template",
            "log-residual-energy-over-template",
            "log-rr-before-over-long",
            "log-rr-after-over-long",
            "log-rr-local-over-long",
            "lead1-noise-over-usual",
            "lead2-noise-over-usual");

    public static final double STEP_HZ = 60;
    static final double TYPICAL_CORRELATION = 0.8;
    static final double TEMPLATE_WEIGHT = 0.05;
    static final double MEAN_RR_WEIGHT = 0.05;
    static final double LOCAL_RR_WEIGHT = 0.25;
    static final double IRREGULARITY_WEIGHT = 0.1;
    static final double LONG_RR_WEIGHT = 0.005;
    static final double QUALITY_WEIGHT = 0.05;
    static final double PREMATURE = 0.85;
    static final double CLIP = 5;
    /** The QRS region the width is measured in: steps from the R peak. */
    static final int QRS_FROM = -6;

    static final int QRS_TO = 9;
    public static final double MAX_WAIT_S = 3.0;

    private BeatFeatures() {}

    /** Samples averaged into one step at {@code rate} Hz. */
    public static int block(double rate) {
        return Math.max(1, (int) Math.round(rate / STEP_HZ));
    }

    /** Samples a beat's window needs after its R peak before it can be cut. */
    static int samplesAfter(double rate) {
        return AFTER_STEPS * block(rate);
    }

    /**
     * The window of the beat at {@code r}, cut from the state's ring: {@code [WINDOW]}, lead 1's steps then lead 2's,
     * then the {@link #quality} of lead 1 and of lead 2.
     */
    static float[] cut(EcgState s, long r) {
        int k = block(s.rate);
        int ring = s.lead1.length;
        float[] w = new float[WINDOW];
        for (int lead = 0; lead < 2; lead++) {
            float[] x = lead == 0 ? s.lead1 : s.lead2;
            double mean = 0;
            double within = 0;
            for (int t = 0; t < STEPS; t++) {
                double sum = 0;
                double squares = 0;
                for (int j = 0; j < k; j++) {
                    long i = Math.max(0, Math.min(s.n - 1, r + (long) (t - BEFORE_STEPS) * k + j));
                    i = Math.max(i, s.n - ring);
                    double v = x[(int) (i % ring)];
                    sum += v;
                    squares += v * v;
                }
                w[lead * STEPS + t] = (float) (sum / k);
                mean += sum / k;
                within += Math.max(0, squares - sum * sum / k);
            }
            mean /= STEPS;
            double steps = 0;
            for (int t = 0; t < STEPS; t++) {
                w[lead * STEPS + t] -= (float) mean;
                steps += (double) w[lead * STEPS + t] * w[lead * STEPS + t] * k;
            }
            w[STEPS * 2 + lead] = (float) quality(within, steps);
        }
        return w;
    }

    /**
     * A beat window's noise on one lead: the log of the energy within the steps (what the block means of {@link #cut}
     * drop: roughly above 30 Hz, muscle noise and mains) over the energy of the steps about their mean (the beat
     * itself, baseline wander in the window included). A ratio within the lead: free of its amplitude and polarity.
     */
    static double quality(double within, double steps) {
        return Math.log((within + 1e-9) / (steps + 1e-9));
    }

    /**
     * The classifier's input for a beat of window {@code w} (from {@link #cut}) with RR intervals before and after
     * (samples), given the patient's statistics in {@code s}; then folds the beat into those statistics.
     */
    static float[][] input(EcgState s, float[] w, double rrBefore, double rrAfter) {
        if (s.templateCount == 0) {
            System.arraycopy(w, 0, s.template, 0, STEPS * 2);
            s.templateCount = 1;
        }
        if (s.rrMean <= 0) {
            s.rrMean = rrBefore;
            s.rrLocal = rrBefore;
        }
        if (s.rrLong <= 0) {
            s.rrLong = rrBefore;
        }
        // a window cut by an older build (a restored format 1 or 2 state) carries no quality: read as usual
        double[] noise = new double[2];
        for (int lead = 0; lead < 2; lead++) {
            double q = w.length > STEPS * 2 ? w[STEPS * 2 + lead] : Double.NaN;
            if (!Double.isNaN(q)) {
                if (Double.isNaN(s.quality[lead])) {
                    s.quality[lead] = q;
                }
                noise[lead] = q - s.quality[lead];
                s.quality[lead] += QUALITY_WEIGHT * (q - s.quality[lead]);
            }
        }
        float[][] x = new float[STEPS][CHANNELS];
        double[] corr = new double[2];
        for (int lead = 0; lead < 2; lead++) {
            int o = lead * STEPS;
            double polarity = s.template[o + BEFORE_STEPS] >= 0 ? 1 : -1;
            double scale = 1e-3;
            for (int t = 0; t < STEPS; t++) {
                scale = Math.max(scale, Math.abs(s.template[o + t]));
            }
            double f = polarity / scale;
            double sxy = 0;
            double sxx = 0;
            double syy = 0;
            for (int t = 0; t < STEPS; t++) {
                x[t][lead] = clip(w[o + t] * f);
                x[t][2 + lead] = clip((w[o + t] - s.template[o + t]) * f);
                sxy += (double) w[o + t] * s.template[o + t];
                sxx += (double) w[o + t] * w[o + t];
                syy += (double) s.template[o + t] * s.template[o + t];
            }
            corr[lead] = sxy / Math.sqrt(Math.max(1e-12, sxx * syy));
        }
        // morphology relative to the patient's own template: QRS width, energy, residual energy
        double[] width = new double[2];
        double[] widthRatio = new double[2];
        double[] energyRatio = new double[2];
        double residual = 0;
        for (int lead = 0; lead < 2; lead++) {
            int o = lead * STEPS;
            width[lead] = qrsWidth(w, o);
            widthRatio[lead] = Math.log((width[lead] + 0.5) / (qrsWidth(s.template, o) + 0.5));
            double eb = 0;
            double et = 0;
            double er = 0;
            for (int t = 0; t < STEPS; t++) {
                double d = w[o + t] - s.template[o + t];
                eb += (double) w[o + t] * w[o + t];
                et += (double) s.template[o + t] * s.template[o + t];
                er += d * d;
            }
            et = Math.max(et, 1e-9);
            energyRatio[lead] = Math.log(Math.max(eb, 1e-9) / et);
            residual += er / et / 2;
        }
        double rate = s.rate;
        float[] rr = {
            (float) Math.log(rrBefore / s.rrMean),
            (float) Math.log(rrAfter / s.rrMean),
            (float) Math.log(rrBefore / s.rrLocal),
            (float) Math.log(rrAfter / rrBefore),
            (float) (rrBefore / rate - 0.8),
            (float) corr[0],
            (float) corr[1],
            (float) Math.log(rrAfter / s.rrLocal),
            (float) s.rrIrregularity,
            clip(widthRatio[0]),
            clip(widthRatio[1]),
            (float) (width[0] / STEP_HZ * 10),
            clip(energyRatio[0]),
            clip(Math.log(0.01 + residual)),
            (float) Math.log(rrBefore / s.rrLong),
            (float) Math.log(rrAfter / s.rrLong),
            (float) Math.log(s.rrLocal / s.rrLong),
            clip(noise[0]),
            clip(noise[1])
        };
        for (int t = 0; t < STEPS; t++) {
            System.arraycopy(rr, 0, x[t], PER_BEAT, rr.length);
        }
        // fold the beat into the patient's statistics
        double weight = Math.max(1.0 / (s.templateCount + 1), TEMPLATE_WEIGHT);
        if (corr[0] < TYPICAL_CORRELATION || rrBefore < PREMATURE * s.rrLocal) {
            weight /= 10;
        }
        for (int j = 0; j < STEPS * 2; j++) {
            s.template[j] += (float) (weight * (w[j] - s.template[j]));
        }
        s.templateCount++;
        s.rrMean += MEAN_RR_WEIGHT * (rrBefore - s.rrMean);
        s.rrLocal += LOCAL_RR_WEIGHT * (rrBefore - s.rrLocal);
        s.rrLong += LONG_RR_WEIGHT * (rrBefore - s.rrLong);
        if (s.rrLast > 0) {
            s.rrIrregularity += IRREGULARITY_WEIGHT * (Math.abs(Math.log(rrBefore / s.rrLast)) - s.rrIrregularity);
        }
        s.rrLast = rrBefore;
        return x;
    }

    /**
     * Width (steps) of the QRS complex of one lead of window {@code v} at offset {@code o}: the spread (standard
     * deviation of the time) of the absolute first difference over the QRS region around the R peak; independent of
     * the lead's polarity and amplitude.
     */
    static double qrsWidth(float[] v, int o) {
        double sum = 0;
        double first = 0;
        double second = 0;
        for (int t = BEFORE_STEPS + QRS_FROM; t < BEFORE_STEPS + QRS_TO; t++) {
            double d = Math.abs(v[o + t + 1] - v[o + t]);
            sum += d;
            first += d * t;
            second += d * t * t;
        }
        if (sum < 1e-9) {
            return 0;
        }
        double mean = first / sum;
        return Math.sqrt(Math.max(0, second / sum - mean * mean));
    }

    private static float clip(double v) {
        return (float) Math.max(-CLIP, Math.min(CLIP, v));
    }
}
