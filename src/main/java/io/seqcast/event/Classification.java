package io.seqcast.event;

import java.util.Map;

/**
 * What a classify pipeline publishes for every observation: the most probable class of the sequence it carries.
 *
 * @param series series id
 * @param pipeline pipeline name
 * @param time event time of the observation, epoch milliseconds
 * @param label the most probable class
 * @param probability its probability, in [0,1]
 * @param probabilities the probability of every class, in the model's class order
 * @param model the model that classified it
 * @param beat for a beat found in raw ECG samples (mode ecg): its RR intervals; null otherwise
 */
public record Classification(
        String series,
        String pipeline,
        long time,
        String label,
        double probability,
        Map<String, Double> probabilities,
        ModelRef model,
        Beat beat) {

    public Classification {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }

    /** A classification of an observation that carries its own sequence (mode classify). */
    public Classification(
            String series,
            String pipeline,
            long time,
            String label,
            double probability,
            Map<String, Double> probabilities,
            ModelRef model) {
        this(series, pipeline, time, label, probability, probabilities, model, null);
    }

    /**
     * A heartbeat's timing and its normal-vs-abnormal verdict.
     *
     * @param rrBefore seconds since the previous beat
     * @param rrAfter seconds to the next beat (or the time waited for one)
     * @param rrMean the series' running mean RR interval, seconds
     * @param abnormal probability that the beat is not normal (one minus that of class N)
     */
    public record Beat(double rrBefore, double rrAfter, double rrMean, double abnormal) {}
}
