package io.seqcast.it;

import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/** A {@link KafkaBackend} over an {@link EmbeddedKafkaBroker} in this JVM; needs nothing but the classpath. */
public final class EmbeddedKafkaBackend implements KafkaBackend {

    private final EmbeddedKafkaBroker broker;
    private final boolean scram;

    private EmbeddedKafkaBackend(EmbeddedKafkaBroker broker, boolean scram) {
        this.broker = broker;
        this.scram = scram;
    }

    /** Starts a broker whose clients connect over PLAINTEXT. */
    public static EmbeddedKafkaBackend plaintext() {
        return new EmbeddedKafkaBackend(EmbeddedKafkaBroker.start(), false);
    }

    /**
     * Starts a broker whose clients connect over SASL_PLAINTEXT as a SCRAM-SHA-512 user; {@link #clientProperties()}
     * carries the credentials.
     */
    public static EmbeddedKafkaBackend scram(String username, String password) {
        return new EmbeddedKafkaBackend(
                EmbeddedKafkaBroker.builder().scramUser(username, password).start(), true);
    }

    /** The broker, for tests that need more than the backend contract (restarts, data directory). */
    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    public String name() {
        return scram ? "embedded (SASL/SCRAM)" : "embedded";
    }

    @Override
    public String bootstrapServers() {
        return scram ? broker.saslBootstrapServers() : broker.bootstrapServers();
    }

    @Override
    public void createTopics(Collection<TopicSpec> topics) {
        broker.createTopics(topics);
    }

    @Override
    public Map<String, Object> clientProperties() {
        if (!scram) {
            return Map.of();
        }
        Map<String, Object> props = new HashMap<>(broker.saslClientProperties());
        props.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return Map.copyOf(props);
    }

    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return name() + " " + bootstrapServers();
    }
}
