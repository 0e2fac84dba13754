package io.seqcast.anomaly;

/** A series' open alert, if any ({@link AlertTracker}): its slice of the series' state. */
public final class AlertState {
    /** Event time the open alert opened at, or {@link Long#MIN_VALUE} when none is open. */
    public long openedAt = Long.MIN_VALUE;
    /** Severity ordinal of the open alert. */
    public byte severity;
    /** Highest score since it opened. */
    public double peakScore;
    /** Consecutive normal observations since the last abnormal one. */
    public int normalStreak;
    /** Ordinal of the anomaly kind the open alert opened with ({@link AnomalyKind}). */
    public byte kind;

    public boolean open() {
        return openedAt != Long.MIN_VALUE;
    }
}
