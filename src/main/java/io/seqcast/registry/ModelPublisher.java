package io.seqcast.registry;

import io.seqcast.config.PipelineConfig;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes to the models topic, creating it when missing: publishes a model version for a pipeline, rolls a pipeline
 * back to an earlier version, records the continual trainer's decisions. What {@link ModelRegistry} follows.
 */
public final class ModelPublisher implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModelPublisher.class);

    private final Properties client;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private volatile boolean topicReady;

    public ModelPublisher(Properties client, String topic) {
        this.client = client;
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Creates the models topic ({@link ModelRegistry#newTopic}: compacted, one partition, replicated up to 3 times)
     * when it does not exist; engines started before follow it once it exists. Called by every operation here.
     */
    public void ensureTopic() {
        if (topicReady) {
            return;
        }
        try (Admin admin = Admin.create(client)) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                short replication = (short) Math.min(
                        3,
                        admin.describeCluster()
                                .nodes()
                                .get(30, TimeUnit.SECONDS)
                                .size());
                try {
                    admin.createTopics(List.of(ModelRegistry.newTopic(topic, replication)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    log.info("Created models topic {}", topic);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            topicReady = true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot find or create the models topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for the models topic " + topic, e);
        }
    }

    /**
     * Publishes {@code artifact} as the version {@code pipeline} serves: checks it reads and verifies here first,
     * then writes the artifact and the pipeline's new pointer.
     *
     * @return the new pointer
     */
    public ModelPointer publish(String pipeline, Path artifact) throws IOException {
        return publish(pipeline, Files.readAllBytes(artifact));
    }

    /**
     * Publishes the artifact file's {@code bytes} as {@link #publish(String, Path)} does.
     *
     * @throws io.seqcast.model.ModelArtifactException if the bytes are not an intact artifact
     */
    public ModelPointer publish(String pipeline, byte[] bytes) throws IOException {
        return publish(pipeline, bytes, null);
    }

    /**
     * Publishes as {@link #publish(String, byte[])} does, after checking that the model fits {@code config}, the
     * pipeline's configuration ({@link ModelFit}; not checked when null).
     *
     * @throws IllegalArgumentException naming every misfit and its fix
     */
    public ModelPointer publish(String pipeline, byte[] bytes, PipelineConfig config) throws IOException {
        ModelMetadata metadata = ModelArtifact.read(bytes).metadata();
        if (config != null) {
            List<String> misfits = ModelFit.misfits(config, metadata);
            if (!misfits.isEmpty()) {
                throw new IllegalArgumentException("refusing to publish: " + String.join(" ", misfits));
            }
        }
        ensureTopic();
        ModelPointer current = pointers().getOrDefault(pipeline, new ModelPointer(null, List.of()));
        if (metadata.version().equals(current.active())) {
            throw new IllegalStateException("pipeline " + pipeline + " already serves version " + metadata.version()
                    + "; give the new model another version (seqcast train --model-version)");
        }
        ModelPointer next = current.publish(metadata.version());
        send(pipeline + "@" + metadata.version(), bytes);
        send(pipeline, next.toJson());
        return next;
    }

    /**
     * Key of the continual trainer's decision about challenger {@code version} of {@code pipeline}:
     * {@code <pipeline>#decision@<version>}. Engines skip these records ('#' is not allowed in a pipeline name).
     */
    public static String decisionKey(String pipeline, String version) {
        return pipeline + "#decision@" + version;
    }

    /** Records a decision of the continual trainer ({@link #decisionKey}); {@code json} is its JSON. */
    public void recordDecision(String pipeline, String version, byte[] json) {
        ensureTopic();
        send(decisionKey(pipeline, version), json);
    }

    /**
     * Points {@code pipeline} back at the most recent earlier version the engine would serve; see
     * {@link #rollback(String, PipelineConfig)}.
     */
    public ModelPointer rollback(String pipeline) {
        return rollback(pipeline, null).pointer();
    }

    /**
     * What a rollback did.
     *
     * @param pointer the pipeline's new pointer
     * @param skipped the earlier versions passed over, each with why the engine would refuse it
     */
    public record Rollback(ModelPointer pointer, List<String> skipped) {}

    /**
     * Points {@code pipeline} back at the most recent earlier version the engine would serve: its artifact is still in
     * the models topic, intact, says that version, and fits {@code config} ({@link ModelFit}; not checked when null).
     * Versions passed over (ones the engine refused, or would) leave the history.
     *
     * @throws IllegalStateException when no earlier version qualifies, naming each and why
     */
    public Rollback rollback(String pipeline, PipelineConfig config) {
        ensureTopic();
        PipelineModels models = PipelineModels.read(client, topic, pipeline);
        ModelPointer current = models.pointer();
        if (current == null || current.active() == null) {
            throw new IllegalStateException("no model was published for pipeline " + pipeline + " on " + topic
                    + "; it serves the model of its pipeline file");
        }
        List<String> history = current.history();
        List<String> skipped = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            String version = history.get(i);
            String refusal = refusal(models.artifacts().get(version), version, config);
            if (refusal == null) {
                ModelPointer previous = new ModelPointer(version, history.subList(0, i));
                send(pipeline, previous.toJson());
                return new Rollback(previous, skipped);
            }
            skipped.add(version + ": " + refusal);
        }
        throw new IllegalStateException("no earlier version of pipeline " + pipeline + " to roll back to (serving "
                + current.active() + (skipped.isEmpty() ? "" : "; passed over " + String.join("; ", skipped)) + ")");
    }

    /** Why the engine would refuse {@code bytes} as {@code version} of a pipeline of {@code config}; null if not. */
    private static String refusal(byte[] bytes, String version, PipelineConfig config) {
        if (bytes == null) {
            return "its artifact is no longer in the models topic";
        }
        ModelMetadata m;
        try {
            m = ModelArtifact.read(bytes).metadata();
        } catch (IOException | RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
        if (!m.version().equals(version)) {
            return "the artifact says version " + m.version();
        }
        if (config != null) {
            List<String> misfits = ModelFit.misfits(config, m);
            if (!misfits.isEmpty()) {
                return String.join(" ", misfits);
            }
        }
        return null;
    }

    /** The pointer of every pipeline with a published model. */
    public Map<String, ModelPointer> pointers() {
        ensureTopic();
        Map<String, ModelPointer> out = new TreeMap<>();
        TopicSnapshot.read(client, topic, Duration.ofSeconds(60), r -> {
            if (r.key() == null || r.value() == null) {
                return;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (key.indexOf('@') < 0 && key.indexOf('#') < 0) {
                out.put(key, ModelPointer.fromJson(r.value()));
            }
        });
        return out;
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
