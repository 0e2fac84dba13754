package io.seqcast.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EmbeddedKafkaBrokerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldConsumeTheRecordsProducedToACreatedTopic() throws Exception {
        String topic = "observations-" + UUID.randomUUID();
        broker.createTopics(TopicSpec.of(topic, 3));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker.bootstrapServers()))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "sensor-" + (i % 3), "v" + i))
                        .get();
            }
        }

        List<String> values = consumeValues(broker.bootstrapServers(), Map.of(), topic, 10);
        assertEquals(10, values.size());
        assertEquals(Set.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"), Set.copyOf(values));
    }

    @Test
    void shouldCreateTopicsWithTheirConfigsAndAcceptExistingOnes() throws Exception {
        String topic = "hidden-state-" + UUID.randomUUID();
        TopicSpec compacted = TopicSpec.of(topic, 2).withConfig("cleanup.policy", "compact");

        broker.createTopics(compacted);
        broker.createTopics(compacted); // already exists: no error

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            ConfigEntry policy = admin.describeConfigs(List.of(resource))
                    .all()
                    .get()
                    .get(resource)
                    .get("cleanup.policy");
            assertEquals("compact", policy.value());
            assertEquals(
                    2,
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .size());
        }
    }

    @Test
    void shouldShowCommittedButNotAbortedTransactionalRecordsToReadCommittedConsumers() throws Exception {
        String topic = "forecasts-" + UUID.randomUUID();
        broker.createTopics(TopicSpec.of(topic, 1));

        Map<String, Object> props = producerProps(broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted-1"));
            producer.send(new ProducerRecord<>(topic, "k", "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
        }

        List<String> values = consumeValues(
                broker.bootstrapServers(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topic, 2);
        assertEquals(List.of("committed-1", "committed-2"), values);
    }

    @Test
    void shouldRefuseSaslSettingsWhenTheSaslListenerIsNotEnabled() {
        IllegalStateException e = assertThrows(IllegalStateException.class, broker::saslClientProperties);
        assertTrue(e.getMessage().contains("scramUser"), e.getMessage());
    }

    @Test
    void shouldReleaseThePortTheThreadsAndTheTemporaryDirectoryOnClose() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();

        EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start();
        int port = first.port();
        Path data = first.dataDirectory();
        first.close();
        first.close(); // idempotent

        assertFalse(Files.exists(data), "temporary data directory deleted");
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        try (EmbeddedKafkaBroker second =
                EmbeddedKafkaBroker.builder().port(port).start()) {
            assertEquals("127.0.0.1:" + port, second.bootstrapServers());
        }

        awaitNoThreadsBeyond(before);
    }

    @Test
    void shouldKeepTopicsAcrossRestartsOnAKeptDataDirectory() throws IOException {
        Path data = Files.createTempDirectory("seqcast-kept-");
        try {
            String clusterId;
            try (EmbeddedKafkaBroker first =
                    EmbeddedKafkaBroker.builder().dataDirectory(data).start()) {
                first.createTopics(TopicSpec.of("kept", 1));
                clusterId = first.clusterId();
            }
            assertTrue(Files.isDirectory(data), "kept data directory survives close");
            try (EmbeddedKafkaBroker second =
                            EmbeddedKafkaBroker.builder().dataDirectory(data).start();
                    Admin admin = Admin.create(Map.of("bootstrap.servers", second.bootstrapServers()))) {
                assertEquals(clusterId, second.clusterId());
                assertTrue(admin.listTopics().names().get().contains("kept"));
            } catch (Exception e) {
                throw new AssertionError("restart on kept data failed", e);
            }
        } finally {
            org.apache.kafka.common.utils.Utils.delete(data.toFile());
        }
    }

    @Test
    void shouldRejectClientsWithAWrongScramPassword() throws Exception {
        try (EmbeddedKafkaBroker secured =
                EmbeddedKafkaBroker.builder().scramUser("alice", "alice-secret").start()) {
            Map<String, Object> good = new HashMap<>(secured.saslClientProperties());
            try (Admin admin = Admin.create(good)) {
                assertEquals(
                        secured.clusterId(), admin.describeCluster().clusterId().get());
            }

            Map<String, Object> wrong = new HashMap<>(good);
            wrong.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                            + " username=\"alice\" password=\"not-her-password\";");
            try (Admin admin = Admin.create(wrong)) {
                ExecutionException e = assertThrows(
                        ExecutionException.class,
                        () -> admin.describeCluster().clusterId().get());
                assertTrue(
                        e.getCause() instanceof SaslAuthenticationException,
                        e.getCause().toString());
            }
        }
    }

    static Map<String, Object> producerProps(String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    /** Reads the topic from the beginning until {@code expected} values arrived or the deadline passed. */
    static List<String> consumeValues(String bootstrapServers, Map<String, Object> extra, String topic, int expected) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // one more short poll: anything beyond `expected` (for instance aborted records) would show up here
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    /** Threads may still be finishing their last step right after close; give them a short deadline. */
    private static void awaitNoThreadsBeyond(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Set<Thread> extra = liveNonDaemonThreads();
        extra.removeAll(before);
        for (Thread thread : extra) {
            long remainingMillis =
                    Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
            thread.join(remainingMillis);
        }
        extra.removeIf(thread -> !thread.isAlive());
        assertTrue(
                extra.isEmpty(),
                () -> "Non-daemon threads left after close: "
                        + extra.stream().map(Thread::getName).sorted().toList());
    }
}
