package io.seqcast.it;

import io.seqcast.broker.TopicSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A running Kafka cluster that an integration test connects to: the in-process {@link EmbeddedKafkaBackend}, always
 * available, or a {@link ContainerKafkaBackend} when Docker is. A test written against this interface runs unchanged
 * on both.
 *
 * <p>The backend is running from construction until {@link #close()}; closing it stops the cluster and discards
 * its data.
 */
public interface KafkaBackend extends AutoCloseable {

    /** A short name for test reports, e.g. {@code embedded} or {@code container apache/kafka:4.1.0}. */
    String name();

    /** The {@code bootstrap.servers} value clients must use (the listener matching {@link #clientProperties()}). */
    String bootstrapServers();

    /**
     * Creates the topics (replication factor 1) and returns once they exist. Existing topics are left as they are.
     *
     * @throws IllegalStateException naming the topic and the broker's reason when one cannot be created
     */
    void createTopics(Collection<TopicSpec> topics);

    /** Creates the topics; see {@link #createTopics(Collection)}. */
    default void createTopics(TopicSpec... topics) {
        createTopics(List.of(topics));
    }

    /**
     * Extra client settings every producer, consumer, admin or Streams app needs to connect, such as
     * {@code security.protocol} and {@code sasl.*}; empty for a plaintext backend. Does not contain
     * {@code bootstrap.servers}.
     */
    Map<String, Object> clientProperties();

    /** {@link #clientProperties()} plus {@code bootstrap.servers}: all a client needs to connect. A new mutable map. */
    default Map<String, Object> connectionProperties() {
        Map<String, Object> props = new HashMap<>(clientProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Stops the cluster. Idempotent. */
    @Override
    void close();
}
