package io.seqcast.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A topic to create: its name, partition count and topic-level configs (for instance
 * {@code cleanup.policy=compact}). The replication factor is always 1 on a single-node broker.
 *
 * @param name       topic name, not blank
 * @param partitions number of partitions, at least 1
 * @param configs    topic-level configs; copied, never null
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic '" + name + "' needs at least 1 partition, got " + partitions);
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
    }

    /** A topic with the given partition count and no topic-level configs. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** A copy of this topic with one more topic-level config, e.g. {@code withConfig("cleanup.policy", "compact")}. */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(configs);
        merged.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new TopicSpec(name, partitions, merged);
    }
}
