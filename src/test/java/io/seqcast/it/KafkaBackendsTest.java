package io.seqcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.broker.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same produce-and-consume check on every backend this machine can run. */
@Timeout(120)
class KafkaBackendsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void shouldDeliverRecordsOnTheEmbeddedBackend() {
        try (KafkaBackend backend = EmbeddedKafkaBackend.plaintext()) {
            assertRecordsDelivered(backend);
        }
    }

    @Test
    void shouldDeliverRecordsOnTheEmbeddedBackendToScramAuthenticatedClients() {
        try (KafkaBackend backend = EmbeddedKafkaBackend.scram("seqcast-app", "app-secret")) {
            assertEquals("SASL_PLAINTEXT", backend.clientProperties().get("security.protocol"));
            assertRecordsDelivered(backend);
        }
    }

    @Test
    void shouldDeliverRecordsOnTheContainerBackendWhenDockerIsAvailable() {
        Optional<String> reason = KafkaBackends.dockerUnavailableReason();
        Assumptions.assumeTrue(
                reason.isEmpty(),
                () -> "Docker not available: " + reason.orElseThrow()
                        + "; the same suite ran against the embedded broker");
        try (KafkaBackend backend = ContainerKafkaBackend.start()) {
            assertRecordsDelivered(backend);
        }
    }

    private static void assertRecordsDelivered(KafkaBackend backend) {
        String topic = "observations-" + UUID.randomUUID();
        backend.createTopics(TopicSpec.of(topic, 2));

        Map<String, Object> producerProps = backend.connectionProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "sensor-" + i, "v" + i));
            }
            producer.commitTransaction();
        }

        Map<String, Object> consumerProps = backend.connectionProperties();
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of(topic));
            while (values.size() < 5 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        assertEquals(5, values.size(), () -> backend.name() + " delivered " + values);
        assertTrue(values.containsAll(List.of("v0", "v1", "v2", "v3", "v4")), values::toString);
    }
}
