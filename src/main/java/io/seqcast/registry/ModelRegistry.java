package io.seqcast.registry;

import io.seqcast.config.PipelineConfig;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a pipeline serves, followed live from the compacted models topic. Every engine instance reads the whole
 * topic (no consumer group), so a version published there switches every instance without a restart.
 *
 * <p>Records of the models topic: key {@code <pipeline>@<version>}, value the model artifact's bytes; key
 * {@code <pipeline>}, value a {@link ModelPointer} naming the version to serve. A version is served once both its
 * artifact and its pointer arrived and the artifact is intact and fits the pipeline; otherwise it is refused with a
 * log line and {@code seqcast_model_refused_total}, and the previous version stays served. Before any pointer, a
 * pipeline serves the model of its {@code model.artifact} file. Records whose key holds {@code #} (the continual
 * trainer's decisions) are skipped.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<String, PipelineConfig> pipelines = new HashMap<>();
    private final Map<String, AtomicReference<SequenceModel>> served = new HashMap<>();
    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    private final Map<String, ModelPointer> pointers = new ConcurrentHashMap<>();
    private final EngineMetrics metrics;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;

    private ModelRegistry(List<PipelineConfig> pipelines, Map<String, SequenceModel> initial, EngineMetrics metrics) {
        for (PipelineConfig p : pipelines) {
            this.pipelines.put(p.name(), p);
            this.served.put(p.name(), new AtomicReference<>(initial.get(p.name())));
        }
        this.metrics = metrics;
    }

    /**
     * The models topic: compacted (the latest artifact of every version and the latest pointer of every pipeline
     * are kept), one partition (order between an artifact and its pointer), records up to 16 MiB.
     */
    public static org.apache.kafka.clients.admin.NewTopic newTopic(String name, short replication) {
        return new org.apache.kafka.clients.admin.NewTopic(name, 1, replication)
                .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", Integer.toString(16 * 1024 * 1024)));
    }

    /** A registry serving fixed models, following no topic. */
    public static ModelRegistry fixed(
            List<PipelineConfig> pipelines, Map<String, SequenceModel> models, EngineMetrics metrics) {
        return new ModelRegistry(pipelines, models, metrics);
    }

    /**
     * Reads the models topic up to its end (so that an instance started after a publish serves the published
     * version from its first record), then follows it on a daemon thread.
     */
    public static ModelRegistry follow(
            Properties client,
            String topic,
            List<PipelineConfig> pipelines,
            Map<String, SequenceModel> initial,
            EngineMetrics metrics) {
        ModelRegistry registry = new ModelRegistry(pipelines, initial, metrics);
        KafkaConsumer<byte[], byte[]> consumer = consumer(client, topic);
        List<TopicPartition> partitions = List.copyOf(consumer.assignment());
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(registry::receive);
        }
        registry.pipelines.keySet().forEach(registry::activate);
        registry.consumer = consumer;
        registry.thread = new Thread(registry::loop, "seqcast-model-registry");
        registry.thread.setDaemon(true);
        registry.thread.start();
        return registry;
    }

    /**
     * Serves the initial models while {@code topic} does not exist, looking for it every {@code check}; once it
     * exists, follows it from its start on the same daemon thread (so a version published to a models topic created
     * after the engine started is served without a restart).
     */
    public static ModelRegistry followOnceCreated(
            Properties client,
            String topic,
            List<PipelineConfig> pipelines,
            Map<String, SequenceModel> initial,
            EngineMetrics metrics,
            Duration check) {
        ModelRegistry registry = new ModelRegistry(pipelines, initial, metrics);
        registry.thread = new Thread(() -> registry.awaitTopic(client, topic, check), "seqcast-model-registry");
        registry.thread.setDaemon(true);
        registry.thread.start();
        return registry;
    }

    private void awaitTopic(Properties client, String topic, Duration check) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            while (!stopped.get()) {
                try {
                    if (admin.listTopics()
                            .names()
                            .get(30, java.util.concurrent.TimeUnit.SECONDS)
                            .contains(topic)) {
                        break;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.debug("Looking for the models topic {} failed: {}", topic, e.getMessage());
                }
                Thread.sleep(check.toMillis());
            }
        } catch (InterruptedException e) {
            return; // closing
        }
        if (stopped.get()) {
            return;
        }
        log.info("Models topic {} exists now: following it", topic);
        try {
            consumer = consumer(client, topic);
        } catch (RuntimeException e) {
            log.error("Cannot follow the models topic {}; serving the current models", topic, e);
            return;
        }
        loop();
    }

    /** A consumer assigned every partition of {@code topic}, at its start. */
    private static KafkaConsumer<byte[], byte[]> consumer(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** The model a pipeline serves now; the stream threads read it before every record. */
    public Supplier<SequenceModel> current(String pipeline) {
        AtomicReference<SequenceModel> ref = served.get(pipeline);
        return ref::get;
    }

    private void loop() {
        try {
            while (!stopped.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String pipeline = receive(r);
                    if (pipeline != null) {
                        activate(pipeline);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Model registry stopped following the models topic; serving the current models", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Stores a record; returns the pipeline it concerns, or null. */
    private String receive(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return null;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (key.indexOf('#') >= 0) {
            return null; // the continual trainer's decisions: not served
        }
        int at = key.indexOf('@');
        String pipeline = at < 0 ? key : key.substring(0, at);
        if (r.value() == null) {
            artifacts.remove(key);
            return null;
        }
        if (at < 0) {
            try {
                pointers.put(key, ModelPointer.fromJson(r.value()));
            } catch (RuntimeException e) {
                refuse(pipeline, "?", "unreadable-pointer", "pointer record is not valid JSON: " + e.getMessage());
                return null;
            }
        } else {
            artifacts.put(key, r.value());
        }
        return pipelines.containsKey(pipeline) ? pipeline : null;
    }

    /** Serves the pointed-at version of {@code pipeline} if it is new, present, intact and fits. */
    private synchronized void activate(String pipeline) {
        ModelPointer pointer = pointers.get(pipeline);
        if (pointer == null || pointer.active() == null) {
            return;
        }
        SequenceModel current = served.get(pipeline).get();
        if (current != null && current.info().version().equals(pointer.active())) {
            return;
        }
        byte[] bytes = artifacts.get(pipeline + "@" + pointer.active());
        if (bytes == null) {
            return; // the artifact record follows
        }
        PipelineConfig p = pipelines.get(pipeline);
        ModelArtifact artifact;
        try {
            artifact = ModelArtifact.read(bytes);
        } catch (IOException | RuntimeException e) {
            refuse(pipeline, pointer.active(), "unreadable", e.getMessage());
            return;
        }
        if (!artifact.metadata().version().equals(pointer.active())) {
            refuse(
                    pipeline,
                    pointer.active(),
                    "version-mismatch",
                    "the artifact says version " + artifact.metadata().version());
            return;
        }
        List<String> misfits = ModelFit.misfits(p, artifact.metadata());
        if (!misfits.isEmpty()) {
            refuse(pipeline, pointer.active(), "incompatible", String.join("; ", misfits));
            return;
        }
        SequenceModel model;
        try {
            model = ModelCatalog.fromArtifact(artifact);
        } catch (RuntimeException e) {
            refuse(pipeline, pointer.active(), "unreadable", e.getMessage());
            return;
        }
        misfits = ModelCatalog.misfits(p, model);
        if (!misfits.isEmpty()) {
            refuse(pipeline, pointer.active(), "incompatible", String.join("; ", misfits));
            return;
        }
        served.get(pipeline).set(model);
        log.info(
                "Pipeline {} now serves model {} version {} (was {})",
                pipeline,
                model.info().name(),
                model.info().version(),
                current == null ? "none" : current.info().version());
    }

    private void refuse(String pipeline, String version, String reason, String detail) {
        SequenceModel current =
                served.get(pipeline) == null ? null : served.get(pipeline).get();
        log.warn(
                "Refused model version {} for pipeline {} ({}): {}; still serving version {}",
                version,
                pipeline,
                reason,
                detail,
                current == null ? "none" : current.info().version());
        metrics.modelRefused(pipeline, reason);
    }

    @Override
    public void close() {
        stopped.set(true);
        KafkaConsumer<byte[], byte[]> following = consumer;
        if (following != null) {
            following.wakeup();
        } else if (thread != null) {
            thread.interrupt(); // still looking for the topic
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
