package io.seqcast.event;

import java.util.Map;

/**
 * One input observation of one series.
 *
 * @param series series id; equal to the Kafka record key
 * @param time event time, epoch milliseconds
 * @param values the observed value, or vector of values, in the pipeline's feature order
 * @param tags optional producer tags, carried through unchanged
 */
public record Observation(String series, long time, double[] values, Map<String, String> tags) {

    public Observation {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** The first (or only) value. */
    public double value() {
        return values[0];
    }
}
