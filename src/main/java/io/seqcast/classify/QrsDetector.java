package io.seqcast.classify;

import java.util.function.LongConsumer;

/**
 * Causal QRS detection after Pan and Tompkins (IEEE TBME 32(3), 1985), one sample at a time, all memory in an
 * {@link EcgState}: the first lead band-passed to 5-15 Hz (second-order Butterworth high-pass and low-pass), five-point
 * derivative, squared, integrated over a moving window of {@value #INTEGRATION_S} s. Local maxima of the integrated
 * signal at least {@value #REFRACTORY_S} s apart are peaks; a peak above the adaptive threshold
 * {@code noise + 0.25 (signal - noise)} is a beat unless it comes within {@value #T_WAVE_S} s of the last beat with less
 * than half its slope (a T wave); the levels follow each peak. When no beat has come for 1.66 times the average RR of
 * regular beats, the largest noise peak since the last beat above half the threshold is taken as a beat (search-back).
 * The first {@value #LEARN_S} s initialise the levels; their peaks are judged once they are.
 *
 * <p>A beat's R peak is the largest band-passed deflection in the {@value #R_SEARCH_S} s before its integrated peak.
 * A beat is reported at most {@value #REFRACTORY_S} s after its integrated peak, or by search-back.
 */
public final class QrsDetector {

    static final double INTEGRATION_S = 0.15;
    static final double REFRACTORY_S = 0.2;
    static final double T_WAVE_S = 0.36;
    static final double LEARN_S = 2.0;
    static final double R_SEARCH_S = 0.25;
    static final double RING_S = 3.0;
    /** Measured mean lag of the band-passed R peak behind the annotated one on MIT-BIH DS1. */
    static final double BAND_DELAY_S = 0.037;

    private final double rate;
    private final int integration;
    private final int refractory;
    private final int tWave;
    private final long learn;
    private final int rSearch;
    private final int ring;
    /** Delay of the band-pass filter near 10 Hz, in samples, taken off the R peak's position. */
    private final int bandDelay;

    private final double[] high;
    private final double[] low;

    public QrsDetector(double rate) {
        if (!(rate >= 100 && rate <= 2000)) {
            throw new IllegalArgumentException("ECG sample rate " + rate + " Hz is outside 100-2000 Hz");
        }
        this.rate = rate;
        this.integration = integrationLength(rate);
        this.refractory = (int) Math.round(REFRACTORY_S * rate);
        this.tWave = (int) Math.round(T_WAVE_S * rate);
        this.learn = Math.round(LEARN_S * rate);
        this.rSearch = (int) Math.round(R_SEARCH_S * rate);
        this.ring = ringLength(rate);
        this.bandDelay = (int) Math.round(BAND_DELAY_S * rate);
        this.high = biquad(rate, 5.0, true);
        this.low = biquad(rate, 15.0, false);
    }

    public double rate() {
        return rate;
    }

    static int integrationLength(double rate) {
        return (int) Math.round(INTEGRATION_S * rate);
    }

    static int ringLength(double rate) {
        return (int) Math.round(RING_S * rate);
    }

    /**
     * Feeds the next sample of both leads (millivolts or any fixed unit); every beat this sample confirms is passed to
     * {@code beats} as the sample index of its R peak, in order.
     */
    public void push(EcgState s, float a, float b, LongConsumer beats) {
        long i = s.n++;
        int at = (int) (i % ring);
        s.lead1[at] = a;
        s.lead2[at] = b;
        // band-pass: high-pass then low-pass biquads
        double h = high[0] * a + s.hp1;
        s.hp1 = high[1] * a - high[3] * h + s.hp2;
        s.hp2 = high[2] * a - high[4] * h;
        double y = low[0] * h + s.lp1;
        s.lp1 = low[1] * h - low[3] * y + s.lp2;
        s.lp2 = low[2] * h - low[4] * y;
        s.band[at] = (float) y;
        // five-point derivative, squared, integrated
        double d = i < 4 ? 0 : (2 * y + band(s, i - 1) - band(s, i - 3) - 2 * band(s, i - 4)) * rate / 8;
        int w = (int) (i % integration);
        double sq = d * d;
        s.mwiSum += sq - s.squares[w];
        s.squares[w] = (float) sq;
        double mwi = Math.max(0, s.mwiSum / integration);
        if (i >= 2 && s.mwiPrev1 > s.mwiPrev2 && s.mwiPrev1 >= mwi) {
            localMaximum(s, i - 1, s.mwiPrev1, beats);
        }
        s.mwiPrev2 = s.mwiPrev1;
        s.mwiPrev1 = mwi;
        if (s.peakAt >= 0 && i - s.peakAt >= refractory) {
            long p = s.peakAt;
            s.peakAt = -1;
            peak(s, p, s.peakValue, beats);
        }
        if (!s.learned) {
            s.learnMax = Math.max(s.learnMax, mwi);
            s.learnSum += mwi;
            if (i + 1 >= learn) {
                endLearning(s, beats);
            }
        } else {
            searchBack(s, i, beats);
        }
    }

    private static float band(EcgState s, long index) {
        return s.band[(int) (index % s.band.length)];
    }

    /** Keeps the largest of local maxima closer than the refractory period. */
    private void localMaximum(EcgState s, long at, double value, LongConsumer beats) {
        if (s.peakAt >= 0 && at - s.peakAt < refractory) {
            if (value > s.peakValue) {
                s.peakAt = at;
                s.peakValue = value;
            }
            return;
        }
        if (s.peakAt >= 0) {
            peak(s, s.peakAt, s.peakValue, beats);
        }
        s.peakAt = at;
        s.peakValue = value;
    }

    private void endLearning(EcgState s, LongConsumer beats) {
        s.learned = true;
        s.signalLevel = s.learnMax / 3;
        s.noiseLevel = s.learnSum / Math.max(1, s.n) / 2;
        for (int k = 0; k < s.learnCount; k++) {
            peak(s, s.learnAt[k], s.learnValue[k], beats);
        }
        s.learnCount = 0;
    }

    private double threshold(EcgState s) {
        double t = s.noiseLevel + 0.25 * (s.signalLevel - s.noiseLevel);
        return irregular(s) ? t / 2 : t;
    }

    private static boolean irregular(EcgState s) {
        return s.regularCount >= 8 && (s.rrAverage1 < 0.92 * s.rrAverage2 || s.rrAverage1 > 1.16 * s.rrAverage2);
    }

    /** Judges a peak of the integrated signal: beat or noise. */
    private void peak(EcgState s, long at, double value, LongConsumer beats) {
        if (!s.learned) {
            if (s.learnCount < EcgState.MAX_PEAKS) {
                s.learnAt[s.learnCount] = at;
                s.learnValue[s.learnCount++] = (float) value;
            }
            return;
        }
        if (s.lastBeat >= 0 && at - s.lastBeat < refractory) {
            noise(s, at, value);
            return;
        }
        if (value > threshold(s)) {
            double slope = slope(s, at);
            if (s.lastBeat >= 0 && at - s.lastBeat < tWave && slope < 0.5 * s.lastSlope) {
                noise(s, at, value);
                return;
            }
            s.signalLevel = 0.125 * value + 0.875 * s.signalLevel;
            beat(s, at, slope, beats);
        } else {
            noise(s, at, value);
        }
    }

    private void noise(EcgState s, long at, double value) {
        s.noiseLevel = 0.125 * value + 0.875 * s.noiseLevel;
        if (s.noiseCount == EcgState.MAX_PEAKS) {
            System.arraycopy(s.noiseAt, 1, s.noiseAt, 0, EcgState.MAX_PEAKS - 1);
            System.arraycopy(s.noiseValue, 1, s.noiseValue, 0, EcgState.MAX_PEAKS - 1);
            s.noiseCount--;
        }
        s.noiseAt[s.noiseCount] = at;
        s.noiseValue[s.noiseCount++] = (float) value;
    }

    /** Largest band-passed slope in the integration window ending at {@code at}. */
    private double slope(EcgState s, long at) {
        double best = 0;
        for (long k = Math.max(1, Math.max(at - integration, s.n - ring + 1)); k <= at; k++) {
            best = Math.max(best, Math.abs(band(s, k) - band(s, k - 1)));
        }
        return best;
    }

    private void beat(EcgState s, long at, double slope, LongConsumer beats) {
        long r = rPeak(s, at);
        if (s.lastBeat >= 0) {
            int rr = (int) (at - s.lastBeat);
            push(s.recentRr, s.recentCount++, rr);
            s.rrAverage1 = mean(s.recentRr, s.recentCount);
            boolean regular = s.regularCount == 0 || (rr > 0.92 * s.rrAverage2 && rr < 1.16 * s.rrAverage2);
            if (regular || s.regularCount < 8) {
                push(s.regularRr, s.regularCount++, rr);
                s.rrAverage2 = mean(s.regularRr, s.regularCount);
            }
        }
        s.lastBeat = at;
        s.lastSlope = slope;
        // noise peaks before this beat can no longer be searched back
        int keep = 0;
        for (int k = 0; k < s.noiseCount; k++) {
            if (s.noiseAt[k] > at) {
                s.noiseAt[keep] = s.noiseAt[k];
                s.noiseValue[keep++] = s.noiseValue[k];
            }
        }
        s.noiseCount = keep;
        beats.accept(r);
    }

    private static void push(int[] ring, int count, int value) {
        ring[count % ring.length] = value;
    }

    private static double mean(int[] ring, int count) {
        int n = Math.min(count, ring.length);
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += ring[k];
        }
        return sum / n;
    }

    private void searchBack(EcgState s, long i, LongConsumer beats) {
        if (s.lastBeat < 0 || s.regularCount == 0 || s.noiseCount == 0 || i - s.lastBeat < 1.66 * s.rrAverage2) {
            return;
        }
        double limit = 0.5 * threshold(s);
        int best = -1;
        for (int k = 0; k < s.noiseCount; k++) {
            if (s.noiseAt[k] - s.lastBeat >= refractory
                    && s.noiseValue[k] > limit
                    && (best < 0 || s.noiseValue[k] > s.noiseValue[best])) {
                best = k;
            }
        }
        if (best < 0) {
            return;
        }
        long at = s.noiseAt[best];
        double value = s.noiseValue[best];
        s.signalLevel = 0.25 * value + 0.75 * s.signalLevel;
        beat(s, at, slope(s, at), beats);
    }

    /** The R peak of the beat whose integrated peak is at {@code at}: the largest band-passed deflection before it. */
    private long rPeak(EcgState s, long at) {
        long from = Math.max(Math.max(0, at - rSearch), s.n - ring + 1);
        long best = at;
        double bestValue = -1;
        for (long k = from; k <= at; k++) {
            double v = Math.abs(band(s, k));
            if (v > bestValue) {
                bestValue = v;
                best = k;
            }
        }
        return Math.max(0, best - bandDelay);
    }

    /**
     * Second-order Butterworth biquad by the bilinear transform (RBJ cookbook, Q = 1/sqrt 2): {@code b0, b1, b2, a1,
     * a2} normalised by {@code a0}.
     */
    static double[] biquad(double rate, double cutoff, boolean highPass) {
        double w0 = 2 * Math.PI * cutoff / rate;
        double alpha = Math.sin(w0) / (2 * Math.sqrt(0.5));
        double cos = Math.cos(w0);
        double a0 = 1 + alpha;
        double b0 = highPass ? (1 + cos) / 2 : (1 - cos) / 2;
        double b1 = highPass ? -(1 + cos) : 1 - cos;
        return new double[] {b0 / a0, b1 / a0, b0 / a0, -2 * cos / a0, (1 - alpha) / a0};
    }
}
