package io.seqcast.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the models topic holds for one pipeline, read to its end: the pointer, the artifact of every version still in
 * the topic, and the continual trainer's decisions ({@code <pipeline>#decision@<version>}).
 *
 * @param pointer the pipeline's pointer, or null when no version was published
 * @param artifacts artifact bytes by version
 * @param decisions decision records by challenger version
 */
public record PipelineModels(ModelPointer pointer, Map<String, byte[]> artifacts, Map<String, byte[]> decisions) {

    /** Reads {@code topic} from its start to its end for {@code pipeline}. */
    public static PipelineModels read(Properties client, String topic, String pipeline) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        ModelPointer pointer = null;
        Map<String, byte[]> artifacts = new TreeMap<>();
        Map<String, byte[]> decisions = new TreeMap<>();
        String artifactPrefix = pipeline + "@";
        String decisionPrefix = ModelPublisher.decisionKey(pipeline, "");
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (key.equals(pipeline)) {
                        pointer = r.value() == null ? null : ModelPointer.fromJson(r.value());
                    } else if (key.startsWith(artifactPrefix)) {
                        put(artifacts, key.substring(artifactPrefix.length()), r.value());
                    } else if (key.startsWith(decisionPrefix)) {
                        put(decisions, key.substring(decisionPrefix.length()), r.value());
                    }
                }
            }
        }
        return new PipelineModels(pointer, artifacts, decisions);
    }

    private static void put(Map<String, byte[]> map, String key, byte[] value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    /**
     * The next integer version, above every integer version the pipeline has (pointer, history, artifacts,
     * decisions) and above {@code floor}'s when it is an integer: a version once given is never given again.
     */
    public String nextVersion(String floor) {
        long max = asLong(floor);
        if (pointer != null) {
            max = Math.max(max, asLong(pointer.active()));
            for (String v : pointer.history()) {
                max = Math.max(max, asLong(v));
            }
        }
        for (String v : artifacts.keySet()) {
            max = Math.max(max, asLong(v));
        }
        for (String v : decisions.keySet()) {
            max = Math.max(max, asLong(v));
        }
        return Long.toString(max + 1);
    }

    private static long asLong(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
