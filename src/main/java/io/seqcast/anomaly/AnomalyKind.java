package io.seqcast.anomaly;

/** Why an observation is anomalous: which part of the score found it. */
public enum AnomalyKind {
    /** The forecast residuals: a burst of residuals larger than the series usually has ({@link AnomalyLikelihood}). */
    RESIDUAL("residual"),
    /** A level the series never had: its value beyond its whole past range ({@link Novelty}). */
    LEVEL("level"),
    /** A series gone quiet or stuck: its step-to-step activity below anything seen ({@link Novelty}). */
    QUIET("quiet"),
    /** A broken cycle: its distance to the same time of the last day or week beyond anything seen ({@link Novelty}). */
    BROKEN_CYCLE("broken-cycle");

    private final String label;

    AnomalyKind(String label) {
        this.label = label;
    }

    /** The name in events: {@code residual}, {@code level}, {@code quiet} or {@code broken-cycle}. */
    public String label() {
        return label;
    }
}
