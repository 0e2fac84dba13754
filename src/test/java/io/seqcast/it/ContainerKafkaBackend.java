package io.seqcast.it;

import io.seqcast.broker.TopicSpec;
import java.util.Collection;
import java.util.Map;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A {@link KafkaBackend} on the official Apache Kafka image in Docker (single KRaft node, PLAINTEXT), through
 * Testcontainers. Check {@link KafkaBackends#dockerUnavailableReason()} before constructing one.
 */
public final class ContainerKafkaBackend implements KafkaBackend {

    /** The image, pinned: a moving tag would change the broker under the tests. */
    public static final String IMAGE = "apache/kafka:4.1.0";

    private final KafkaContainer container;

    private ContainerKafkaBackend(KafkaContainer container) {
        this.container = container;
    }

    /**
     * Pulls (if needed) and starts the container; returns once the broker accepts clients.
     *
     * @throws IllegalStateException when Docker is not available; check {@link KafkaBackends#dockerUnavailableReason()}
     *                               first to skip instead
     */
    @SuppressWarnings("resource") // closed by close()
    public static ContainerKafkaBackend start() {
        KafkaBackends.dockerUnavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("Cannot start " + IMAGE + ": Docker is not available (" + reason
                    + "). Start a Docker daemon, or skip with KafkaBackends.dockerUnavailableReason().");
        });
        KafkaContainer container = new KafkaContainer(IMAGE)
                // transactions and consumer groups on a single node, no rebalance delay: as on the embedded broker
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        return new ContainerKafkaBackend(container);
    }

    @Override
    public String name() {
        return "container " + IMAGE;
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void createTopics(Collection<TopicSpec> topics) {
        KafkaBackends.createTopics(connectionProperties(), topics);
    }

    @Override
    public Map<String, Object> clientProperties() {
        return Map.of();
    }

    @Override
    public void close() {
        container.close();
    }

    @Override
    public String toString() {
        return name() + " " + bootstrapServers();
    }
}
