package io.seqcast.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads output topics for the reliability tests. */
final class Topics {

    private Topics() {}

    /**
     * Reads {@code topic} from the start until {@code expected} records arrived or {@code timeout} passed, then keeps
     * reading for {@code settle} so that records beyond the expected count (duplicates) show up too.
     */
    static List<ConsumerRecord<byte[], byte[]>> read(
            Map<String, Object> connection,
            String topic,
            String isolation,
            int expected,
            Duration timeout,
            Duration settle) {
        Map<String, Object> props = new HashMap<>(connection);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reliability-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long end = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String bootstrap, String topic, int expected, Duration timeout) {
        return read(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                topic,
                "read_committed",
                expected,
                timeout,
                Duration.ofSeconds(2));
    }
}
