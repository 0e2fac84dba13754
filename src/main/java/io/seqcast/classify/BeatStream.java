package io.seqcast.classify;

import java.util.function.Consumer;

/**
 * Raw two-lead ECG samples in, beats ready to classify out: the {@link QrsDetector} finds R peaks, each beat's window
 * is cut once its last sample has arrived, and a beat is released with its {@link BeatFeatures} when the next beat is
 * found or {@value BeatFeatures#MAX_WAIT_S} s have passed. The same code serves the pipeline and builds training data,
 * so the classifier is trained on what it will see. Delay from an R peak to its release: at most the RR interval after
 * it plus the detector's delay, and never more than about {@value BeatFeatures#MAX_WAIT_S} s.
 */
public final class BeatStream {

    private final QrsDetector detector;
    private final int after;
    private final long maxWait;

    public BeatStream(double rate) {
        this.detector = new QrsDetector(rate);
        this.after = BeatFeatures.samplesAfter(rate);
        this.maxWait = Math.round(BeatFeatures.MAX_WAIT_S * rate);
    }

    public double rate() {
        return detector.rate();
    }

    /**
     * Feeds {@code samples} (lead 1 and lead 2 interleaved: {@code l1, l2, l1, l2, ...}) to the series' state, passing
     * every beat released on the way to {@code out}, in order.
     */
    public void push(EcgState s, double[] samples, Consumer<DetectedBeat> out) {
        for (int j = 0; j + 1 < samples.length; j += 2) {
            push(s, (float) samples[j], (float) samples[j + 1], out);
        }
    }

    /** Feeds one sample of both leads. */
    public void push(EcgState s, float a, float b, Consumer<DetectedBeat> out) {
        detector.push(s, a, b, r -> enqueue(s, r));
        long last = s.n - 1;
        for (int k = 0; k < s.queueCount; k++) {
            if (s.queueWindow[k] == null && last >= s.queueAt[k] + after) {
                s.queueWindow[k] = BeatFeatures.cut(s, s.queueAt[k]);
            }
        }
        while (s.queueCount > 0 && s.queueWindow[0] != null) {
            long r = s.queueAt[0];
            long next;
            if (s.queueCount > 1) {
                next = s.queueAt[1];
            } else if (last - r >= maxWait) {
                next = last;
            } else {
                break;
            }
            double rrAfter = next - r;
            double rrBefore = s.previousBeat >= 0 ? r - s.previousBeat : rrAfter;
            double rrMean = s.rrMean > 0 ? s.rrMean : rrBefore;
            float[][] input = BeatFeatures.input(s, s.queueWindow[0], rrBefore, rrAfter);
            double rate = detector.rate();
            out.accept(new DetectedBeat(r, s.timeOf(r), rrBefore / rate, rrAfter / rate, rrMean / rate, input));
            s.previousBeat = r;
            System.arraycopy(s.queueAt, 1, s.queueAt, 0, s.queueCount - 1);
            System.arraycopy(s.queueWindow, 1, s.queueWindow, 0, s.queueCount - 1);
            s.queueWindow[--s.queueCount] = null;
        }
    }

    private void enqueue(EcgState s, long r) {
        if (r <= s.previousBeat || (s.queueCount > 0 && r <= s.queueAt[s.queueCount - 1])) {
            return; // the same R peak found twice (a search-back near a beat): keep one
        }
        if (s.queueCount == EcgState.MAX_QUEUE) {
            return; // cannot happen at physiological rates: beats leave within MAX_WAIT_S
        }
        s.queueAt[s.queueCount] = r;
        s.queueWindow[s.queueCount++] = s.n - 1 >= r + after ? BeatFeatures.cut(s, r) : null;
    }
}
