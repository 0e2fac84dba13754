package io.seqcast.forecast;

/** The time stage's slice: steps since the series started or last reset (observations and imputed steps). */
public final class Clock {
    /** Warm-up counts these. */
    public long sinceReset;
}
