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
 */
public record Classification(
        String series, String pipeline, long time, String label, double probability,
        Map<String, Double> probabilities, ModelRef model) {

    public Classification {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }
}
