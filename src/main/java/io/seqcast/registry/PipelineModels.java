package io.seqcast.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

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
        ModelPointer[] pointer = {null};
        Map<String, byte[]> artifacts = new TreeMap<>();
        Map<String, byte[]> decisions = new TreeMap<>();
        String artifactPrefix = pipeline + "@";
        String decisionPrefix = ModelPublisher.decisionKey(pipeline, "");
        TopicSnapshot.read(client, topic, Duration.ofSeconds(60), r -> {
            if (r.key() == null) {
                return;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (key.equals(pipeline)) {
                pointer[0] = r.value() == null ? null : ModelPointer.fromJson(r.value());
            } else if (key.startsWith(artifactPrefix)) {
                put(artifacts, key.substring(artifactPrefix.length()), r.value());
            } else if (key.startsWith(decisionPrefix)) {
                put(decisions, key.substring(decisionPrefix.length()), r.value());
            }
        });
        return new PipelineModels(pointer[0], artifacts, decisions);
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
