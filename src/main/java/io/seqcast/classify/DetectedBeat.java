package io.seqcast.classify;

/**
 * A beat found in a series' samples, ready to classify.
 *
 * @param sample index of its R peak among the samples of the series' segment
 * @param time event time of its R peak, epoch milliseconds
 * @param rrBefore seconds since the previous beat (for a segment's first beat: its RR after)
 * @param rrAfter seconds to the next beat, or the time waited for one ({@link BeatFeatures})
 * @param rrMean the patient's running mean RR before this beat, seconds
 * @param input the classifier's input, {@code [steps][channels]} ({@link BeatFeatures})
 */
public record DetectedBeat(long sample, long time, double rrBefore, double rrAfter, double rrMean, float[][] input) {}
