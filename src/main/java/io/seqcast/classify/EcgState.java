package io.seqcast.classify;

import java.util.Arrays;

/**
 * Everything an ECG series carries from one observation to the next: the QRS detector's filter memories, integration
 * window, adaptive thresholds and RR averages ({@link QrsDetector}), the last seconds of both leads, the beats found but
 * not yet published, and the patient's running average beat and RR statistics ({@link BeatFeatures}). Mutable, kept
 * inside the classify code; {@link EcgStateSerde} writes it losslessly. Absent is the initial state
 * ({@link #EcgState(double)}).
 */
public final class EcgState {

    /** Noise peaks kept for search-back, and detected beats waiting to be published. */
    static final int MAX_PEAKS = 16;

    static final int MAX_QUEUE = 8;

    /** Sample rate (Hz) the sizes below were made for. */
    final double rate;
    /** Event time (epoch ms, fractional) of sample 0 of this segment; NaN before the first observation. */
    double startTime = Double.NaN;
    /** Event time of the last accepted observation; {@link Long#MIN_VALUE} before the first. */
    long lastTime = Long.MIN_VALUE;
    /** Samples seen in this segment: the index of the next sample. */
    long n;

    // band-pass filter memories (high-pass then low-pass biquads, transposed direct form II)
    double hp1;
    double hp2;
    double lp1;
    double lp2;

    // the last ring-length samples of both leads and of the band-passed first lead
    final float[] lead1;
    final float[] lead2;
    final float[] band;

    // moving-window integration of the squared derivative
    final float[] squares;
    double mwiSum;
    double mwiPrev1;
    double mwiPrev2;

    // local maximum of the integrated signal waiting for its refractory period to pass
    long peakAt = -1;
    double peakValue;

    // learning phase: first seconds, peaks kept until the thresholds are initialised
    double learnMax;
    double learnSum;
    final long[] learnAt = new long[MAX_PEAKS];
    final float[] learnValue = new float[MAX_PEAKS];
    int learnCount;
    boolean learned;

    // adaptive thresholds (Pan and Tompkins 1985) on the integrated signal
    double signalLevel;
    double noiseLevel;
    long lastBeat = -1;
    double lastSlope;
    final int[] recentRr = new int[8];
    int recentCount;
    final int[] regularRr = new int[8];
    int regularCount;
    double rrAverage1;
    double rrAverage2;

    // noise peaks since the last beat, for search-back
    final long[] noiseAt = new long[MAX_PEAKS];
    final float[] noiseValue = new float[MAX_PEAKS];
    int noiseCount;

    // beats found, in order, waiting for their window and the next beat; windows (BeatFeatures.cut), null until cut
    final long[] queueAt = new long[MAX_QUEUE];
    final float[][] queueWindow = new float[MAX_QUEUE][];
    int queueCount;
    long previousBeat = -1;

    // the patient's running average beat and RR statistics (in samples)
    final float[] template;
    int templateCount;
    double rrMean;
    double rrLocal;
    /** RR before the last published beat (samples; 0 before it) and the running irregularity of the rhythm. */
    double rrLast;

    double rrIrregularity;
    /** The long-run mean RR (samples; 0 before the first beat). */
    double rrLong;
    /** Running mean of each lead's beat quality ({@link BeatFeatures#quality}); NaN before the first beat. */
    final double[] quality = {Double.NaN, Double.NaN};

    /** The initial state of a series sampled at {@code rate} Hz. */
    public EcgState(double rate) {
        this.rate = rate;
        int ring = QrsDetector.ringLength(rate);
        lead1 = new float[ring];
        lead2 = new float[ring];
        band = new float[ring];
        squares = new float[QrsDetector.integrationLength(rate)];
        template = new float[BeatFeatures.STEPS * 2];
    }

    public double rate() {
        return rate;
    }

    public long lastTime() {
        return lastTime;
    }

    /** Records the time of the last accepted observation. */
    public void lastTimeIs(long time) {
        lastTime = time;
    }

    /** Samples seen since the series (re)started. */
    public long samples() {
        return n;
    }

    /** Event time (epoch ms) of sample {@code index} of this segment. */
    public long timeOf(long index) {
        return Math.round(startTime + index * 1000.0 / rate);
    }

    /** Event time (epoch ms, fractional) the next sample is expected at; NaN before the first observation. */
    public double expectedTime() {
        return startTime + n * 1000.0 / rate;
    }

    /** Starts a new segment at {@code time}: forgets everything but the rate. */
    public static EcgState startingAt(double rate, long time) {
        EcgState s = new EcgState(rate);
        s.startTime = time;
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EcgState s)) {
            return false;
        }
        return rate == s.rate
                && Double.compare(startTime, s.startTime) == 0
                && lastTime == s.lastTime
                && n == s.n
                && hp1 == s.hp1
                && hp2 == s.hp2
                && lp1 == s.lp1
                && lp2 == s.lp2
                && Arrays.equals(lead1, s.lead1)
                && Arrays.equals(lead2, s.lead2)
                && Arrays.equals(band, s.band)
                && Arrays.equals(squares, s.squares)
                && mwiSum == s.mwiSum
                && mwiPrev1 == s.mwiPrev1
                && mwiPrev2 == s.mwiPrev2
                && peakAt == s.peakAt
                && peakValue == s.peakValue
                && learnMax == s.learnMax
                && learnSum == s.learnSum
                && Arrays.equals(learnAt, 0, learnCount, s.learnAt, 0, s.learnCount)
                && Arrays.equals(learnValue, 0, learnCount, s.learnValue, 0, s.learnCount)
                && learned == s.learned
                && signalLevel == s.signalLevel
                && noiseLevel == s.noiseLevel
                && lastBeat == s.lastBeat
                && lastSlope == s.lastSlope
                && Arrays.equals(recentRr, s.recentRr)
                && recentCount == s.recentCount
                && Arrays.equals(regularRr, s.regularRr)
                && regularCount == s.regularCount
                && rrAverage1 == s.rrAverage1
                && rrAverage2 == s.rrAverage2
                && Arrays.equals(noiseAt, 0, noiseCount, s.noiseAt, 0, s.noiseCount)
                && Arrays.equals(noiseValue, 0, noiseCount, s.noiseValue, 0, s.noiseCount)
                && Arrays.equals(queueAt, 0, queueCount, s.queueAt, 0, s.queueCount)
                && Arrays.deepEquals(Arrays.copyOf(queueWindow, queueCount), Arrays.copyOf(s.queueWindow, s.queueCount))
                && previousBeat == s.previousBeat
                && Arrays.equals(template, s.template)
                && templateCount == s.templateCount
                && rrMean == s.rrMean
                && rrLocal == s.rrLocal
                && rrLast == s.rrLast
                && rrIrregularity == s.rrIrregularity
                && rrLong == s.rrLong
                && Arrays.equals(quality, s.quality);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(n) * 31 + Double.hashCode(startTime);
    }
}
