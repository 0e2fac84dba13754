package io.seqcast.classify;

import java.util.List;

/**
 * Beat-by-beat comparison of detected beats with reference annotations (as ANSI/AAMI EC57): a reference beat and a
 * detected beat match when their R peaks are at most the tolerance apart (150 ms by convention), each used once,
 * nearest first in time order. Unmatched reference beats are missed (false negatives), unmatched detections false
 * positives. Matched beats fill the confusion matrix of classes.
 */
public final class BeatMatching {

    /** The usual matching window, seconds. */
    public static final double WINDOW_S = 0.150;

    private BeatMatching() {}

    /** A detected beat: sample index of its R peak and the class given to it (index into {@link AamiClass}). */
    public record Detection(long sample, int predicted) {}

    /**
     * Counts of one record (or several, {@link #plus}).
     *
     * @param reference reference beats compared
     * @param matched reference beats with a detection
     * @param detected detections compared
     * @param confusion {@code [reference class][predicted class]} over matched beats, classes as {@link AamiClass}
     */
    public record Counts(long reference, long matched, long detected, long[][] confusion) {

        public static Counts empty() {
            return new Counts(0, 0, 0, new long[5][5]);
        }

        public Counts plus(Counts o) {
            long[][] c = new long[5][5];
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    c[i][j] = confusion[i][j] + o.confusion[i][j];
                }
            }
            return new Counts(reference + o.reference, matched + o.matched, detected + o.detected, c);
        }

        /** Share of reference beats detected. */
        public double sensitivity() {
            return reference == 0 ? Double.NaN : (double) matched / reference;
        }

        /** Share of detections that are reference beats (positive predictivity). */
        public double ppv() {
            return detected == 0 ? Double.NaN : (double) matched / detected;
        }
    }

    /**
     * Matches {@code detections} (in time order) to {@code reference} (in time order) within {@code tolerance}
     * samples. Beats of either list outside {@code [from, to)} (sample indices) are left out of the comparison.
     */
    public static Counts match(
            List<EcgRecord.Annotation> reference, List<Detection> detections, long tolerance, long from, long to) {
        return match(reference, detections, tolerance, from, to, List.of());
    }

    /** As {@link #match(List, List, long, long, long)}, leaving out beats of either list in {@code excluded} ranges. */
    public static Counts match(
            List<EcgRecord.Annotation> reference,
            List<Detection> detections,
            long tolerance,
            long from,
            long to,
            List<long[]> excluded) {
        long[][] confusion = new long[5][5];
        boolean[] used = new boolean[detections.size()];
        long refs = 0;
        long matched = 0;
        int start = 0;
        for (EcgRecord.Annotation a : reference) {
            if (a.sample() < from || a.sample() >= to || in(excluded, a.sample())) {
                continue;
            }
            refs++;
            while (start < detections.size() && detections.get(start).sample() < a.sample() - tolerance) {
                start++;
            }
            int best = -1;
            for (int k = start; k < detections.size() && detections.get(k).sample() <= a.sample() + tolerance; k++) {
                if (!used[k]
                        && (best < 0
                                || Math.abs(detections.get(k).sample() - a.sample())
                                        < Math.abs(detections.get(best).sample() - a.sample()))) {
                    best = k;
                }
            }
            if (best >= 0 && !in(excluded, detections.get(best).sample())) {
                used[best] = true;
                matched++;
                confusion[a.aami().ordinal()][detections.get(best).predicted()]++;
            }
        }
        long detected = 0;
        for (Detection d : detections) {
            if (d.sample() >= from && d.sample() < to && !in(excluded, d.sample())) {
                detected++;
            }
        }
        return new Counts(refs, matched, detected, confusion);
    }

    private static boolean in(List<long[]> ranges, long i) {
        for (long[] r : ranges) {
            if (i >= r[0] && i <= r[1]) {
                return true;
            }
        }
        return false;
    }
}
