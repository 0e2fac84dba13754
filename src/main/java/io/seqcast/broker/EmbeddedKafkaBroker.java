package io.seqcast.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.FaultHandlerFactory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.SharedServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running inside this JVM, bound to
 * {@code 127.0.0.1} only.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
 *     broker.createTopics(TopicSpec.of("observations", 3));
 *     Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>Defaults are chosen for tests and the local demo: automatic topic creation is off, every internal topic
 * (consumer offsets, transaction state, share-group state) has replication factor 1 and min ISR 1 so consumer groups
 * and transactions (exactly-once) work, the group initial rebalance delay is 0, internal topics have a single
 * partition, and the broker's own loggers are lowered to WARN unless configured otherwise.
 *
 * <p>The storage is formatted on first use of a data directory (new cluster id) and reused as is afterwards, so a
 * broker started on a kept {@linkplain Builder#dataDirectory(Path) data directory} sees the topics and records of
 * the previous run. Ports may change between runs.
 *
 * <p>{@link #close()} stops the broker within a few seconds, releases its ports, ends its threads and deletes a
 * temporary data directory. It is idempotent. Instances are thread-safe.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The SASL mechanism of the optional SASL_PLAINTEXT listener. */
    public static final String SCRAM_MECHANISM = ScramMechanism.SCRAM_SHA_512.mechanismName();

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDirectory;
    private final boolean deleteDataDirectoryOnClose;
    private final PreboundSockets sockets;
    private final ControllerServer controller;
    private final BrokerServer broker;
    private final String clusterId;
    private final Optional<ScramUser> scramUser;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder options) {
        long startNanos = System.nanoTime();
        this.deleteDataDirectoryOnClose = options.dataDirectory == null;
        this.scramUser = Optional.ofNullable(options.scramUser);
        if (options.quietLogging) {
            BrokerLogging.quietUnlessConfigured();
        }
        this.dataDirectory = options.dataDirectory != null ? options.dataDirectory : createTempDirectory();
        this.sockets = new PreboundSockets(HOST);
        SharedServer shared = null;
        ControllerServer createdController = null;
        BrokerServer createdBroker = null;
        try {
            Files.createDirectories(dataDirectory);
            KafkaConfig config = new KafkaConfig(brokerProperties(options), false);
            formatIfNeeded(config);
            Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> initialized =
                    KafkaRaftServer.initializeLogDirs(config, log, "[EmbeddedKafkaBroker] ");
            this.clusterId = initialized._1().clusterId().orElseThrow();
            shared = new SharedServer(
                    config,
                    initialized._1(),
                    Time.SYSTEM,
                    new Metrics(),
                    CompletableFuture.completedFuture(QuorumConfig.parseVoterConnections(
                            config.quorumConfig().voters())),
                    QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
                    new NonHaltingFaultHandlerFactory(),
                    sockets);
            createdController = new ControllerServer(shared, KafkaRaftServer.configSchema(), initialized._2());
            createdBroker = new BrokerServer(shared);
            // The same order as KafkaRaftServer: the controller first, so the broker can register with it.
            createdController.startup();
            createdBroker.startup();
        } catch (IOException | RuntimeException e) {
            try {
                shutdown(createdBroker, createdController);
                sockets.close();
            } catch (RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            if (deleteDataDirectoryOnClose) {
                deleteQuietly(dataDirectory, e);
            }
            throw new IllegalStateException(
                    "Embedded Kafka broker failed to start in " + dataDirectory + ": " + e
                            + (options.dataDirectory != null
                                    ? ". If this directory was written by another Kafka version or node, delete it or choose"
                                            + " another one."
                                    : ""),
                    e);
        }
        this.controller = createdController;
        this.broker = createdBroker;
        if (scramUser.isPresent()) {
            createScramUser(scramUser.get());
        }
        log.info(
                "Embedded Kafka broker started on {} in {} ms (cluster {}, data {})",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                clusterId,
                dataDirectory);
    }

    /** Starts a broker with the defaults: free port, temporary data directory, no automatic topic creation. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    /** Options for a broker; finish with {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for plaintext clients, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return HOST + ":" + sockets.port(CLIENT_LISTENER);
    }

    /** The plaintext client port. */
    public int port() {
        return sockets.port(CLIENT_LISTENER);
    }

    /**
     * The {@code bootstrap.servers} value of the SASL_PLAINTEXT (SCRAM-SHA-512) listener.
     *
     * @throws IllegalStateException when the broker was started without {@link Builder#scramUser(String, String)}
     */
    public String saslBootstrapServers() {
        requireSasl();
        return HOST + ":" + sockets.port(SASL_LISTENER);
    }

    /**
     * Client settings to connect to the SASL listener as the SCRAM user: {@code bootstrap.servers},
     * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config}.
     *
     * @throws IllegalStateException when the broker was started without {@link Builder#scramUser(String, String)}
     */
    public Map<String, Object> saslClientProperties() {
        ScramUser user = requireSasl();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslBootstrapServers());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL_LISTENER);
        props.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        props.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                ScramLoginModule.class.getName() + " required username=\"" + user.username() + "\" password=\""
                        + user.password() + "\";");
        return props;
    }

    /** The cluster id, stable for the life of the data directory. */
    public String clusterId() {
        return clusterId;
    }

    /** The data directory (log segments and metadata log). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Creates the topics and returns once they exist; see {@link #createTopics(Collection)}. */
    public void createTopics(TopicSpec... topics) {
        createTopics(Arrays.asList(topics));
    }

    /**
     * Creates the topics (replication factor 1) and returns once the broker knows all of them. A topic that already
     * exists is left as it is, so this can be called again on a kept data directory.
     *
     * @throws IllegalStateException when a topic cannot be created, naming the topic and the broker's reason
     */
    public void createTopics(Collection<TopicSpec> topics) {
        requireOpen();
        List<NewTopic> newTopics = new ArrayList<>();
        for (TopicSpec topic : topics) {
            newTopics.add(new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs()));
        }
        try (Admin admin = Admin.create(adminProperties())) {
            Map<String, ? extends Future<Void>> results =
                    admin.createTopics(newTopics).values();
            for (Map.Entry<String, ? extends Future<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "Could not create topic '" + result.getKey() + "': "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
            awaitTopicsKnown(admin, newTopics.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Timed out after " + ADMIN_TIMEOUT + " creating topics " + topics + " on " + bootstrapServers(), e);
        }
    }

    /**
     * Stops the broker and controller, releases the ports, and deletes the data directory if it was a temporary one.
     * Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        shutdown(broker, controller);
        sockets.close();
        if (deleteDataDirectoryOnClose) {
            deleteQuietly(dataDirectory, null);
        }
        log.info(
                "Embedded Kafka broker on port {} closed in {} ms",
                sockets.port(CLIENT_LISTENER),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private static void shutdown(BrokerServer broker, ControllerServer controller) {
        // The same order as KafkaRaftServer: the broker first, while the controller can still process its
        // controlled shutdown.
        if (broker != null) {
            broker.shutdown();
            broker.awaitShutdown();
        }
        if (controller != null) {
            controller.shutdown();
            controller.awaitShutdown();
        }
    }

    private Map<String, Object> brokerProperties(Builder options) {
        int clientPort = sockets.bind(CLIENT_LISTENER, options.port);
        int controllerPort = sockets.bind(CONTROLLER_LISTENER, 0);
        String listeners = CLIENT_LISTENER + "://" + HOST + ":" + clientPort + "," + CONTROLLER_LISTENER + "://" + HOST
                + ":" + controllerPort;
        String advertised = CLIENT_LISTENER + "://" + HOST + ":" + clientPort;
        String protocols = CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT";

        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("log.dirs", dataDirectory.toAbsolutePath().toString());

        // Topics and replication on a single node
        props.put("auto.create.topics.enable", Boolean.toString(options.autoCreateTopics));
        props.put("num.partitions", Integer.toString(options.defaultPartitions));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");

        // Small footprint: few threads, a small log-cleaner buffer (the default is 128 MB), no forced flushes
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("num.replica.fetchers", "1");
        props.put("log.cleaner.threads", "1");
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        props.put("log.cleaner.backoff.ms", "1000");
        props.put("broker.heartbeat.interval.ms", "500");

        if (options.scramUser != null) {
            int saslPort = sockets.bind(SASL_LISTENER, 0);
            listeners += "," + SASL_LISTENER + "://" + HOST + ":" + saslPort;
            advertised += "," + SASL_LISTENER + "://" + HOST + ":" + saslPort;
            protocols += "," + SASL_LISTENER + ":SASL_PLAINTEXT";
            String prefix = "listener.name." + SASL_LISTENER.toLowerCase(Locale.ROOT) + ".";
            props.put(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
            props.put(
                    prefix + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    ScramLoginModule.class.getName() + " required;");
            props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        }
        props.put("listeners", listeners);
        props.put("advertised.listeners", advertised);
        props.put("listener.security.protocol.map", protocols);

        props.putAll(options.overrides);
        return props;
    }

    private void formatIfNeeded(KafkaConfig config) throws IOException {
        if (Files.exists(dataDirectory.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return;
        }
        String newClusterId = Uuid.randomUuid().toString();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, "UTF-8"))
                .setNodeId(NODE_ID)
                .setClusterId(newClusterId)
                .setDirectories(List.of(dataDirectory.toAbsolutePath().toString()))
                .setMetadataLogDirectory(config.metadataLogDir())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setWriteBootstrapSnapshot(true)
                .setIgnoreFormatted(false);
        try {
            formatter.run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka storage in " + dataDirectory, e);
        }
        log.debug("Formatted {} for cluster {}", dataDirectory, newClusterId);
    }

    private void createScramUser(ScramUser user) {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user.username(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                            user.password())))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException(
                    "Could not create SCRAM user '" + user.username() + "' on " + bootstrapServers() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while creating SCRAM user '" + user.username() + "'", e);
        }
        awaitScramLogin();
    }

    /** The credential reaches the broker's metadata cache shortly after the controller commits it. */
    private void awaitScramLogin() {
        Map<String, Object> props = new HashMap<>(saslClientProperties());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                try {
                    admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    last = e; // authentication fails until the credential is published; retry
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = e;
        }
        close();
        throw new IllegalStateException(
                "SCRAM user '" + scramUser.orElseThrow().username() + "' could not log in to " + saslBootstrapServers()
                        + " within " + ADMIN_TIMEOUT,
                last);
    }

    private void awaitTopicsKnown(Admin admin, List<String> names) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Topics " + names + " were created but the broker does not" + " list them after "
                                    + ADMIN_TIMEOUT + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
                TimeUnit.MILLISECONDS.sleep(20); // metadata propagation from controller to broker
            }
        }
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-broker-admin");
        return props;
    }

    private ScramUser requireSasl() {
        return scramUser.orElseThrow(() -> new IllegalStateException("The SASL_PLAINTEXT listener is not enabled"
                + " on this broker. Start it with EmbeddedKafkaBroker.builder().scramUser(name, password).start()."));
    }

    private synchronized void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The embedded Kafka broker on " + bootstrapServers() + " is closed");
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("seqcast-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not create a temporary data directory for the embedded Kafka"
                            + " broker; check java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ")",
                    e);
        }
    }

    private static void deleteQuietly(Path directory, Exception primary) {
        try {
            Utils.delete(directory.toFile());
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                log.warn("Could not delete the broker's temporary data directory {}: {}", directory, e.toString());
            }
        }
    }

    private record ScramUser(String username, String password) {}

    /**
     * Faults are logged and reported to the caller; unlike the standalone server's handler, a fatal fault never halts
     * the JVM, which hosts the application or the tests.
     */
    private static final class NonHaltingFaultHandlerFactory implements FaultHandlerFactory {
        @Override
        public org.apache.kafka.server.fault.FaultHandler build(String name, boolean fatal, Runnable action) {
            return new LoggingFaultHandler(name, action);
        }
    }

    /** Options of an {@link EmbeddedKafkaBroker}. Not thread-safe; each call returns this builder. */
    public static final class Builder {
        private Path dataDirectory;
        private int port;
        private int defaultPartitions = 1;
        private boolean autoCreateTopics;
        private boolean quietLogging = true;
        private ScramUser scramUser;
        private final Map<String, Object> overrides = new HashMap<>();

        private Builder() {}

        /**
         * Keeps the broker's data in this directory and does not delete it on close, so a later broker started on
         * it sees the same topics and records. Default: a fresh temporary directory, deleted on close.
         */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The plaintext client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Partition count of automatically created topics ({@code num.partitions}); default 1. */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("Default partitions must be at least 1, got " + partitions);
            }
            this.defaultPartitions = partitions;
            return this;
        }

        /** Whether producing to or fetching an unknown topic creates it; default false. */
        public Builder autoCreateTopics(boolean enabled) {
            this.autoCreateTopics = enabled;
            return this;
        }

        /**
         * Whether to lower the broker's own loggers ({@code kafka}, {@code org.apache.kafka.server},
         * {@code ...controller}, {@code ...raft}, ...) to WARN when logback is the SLF4J backend and they have no
         * configured level; default true. Client and Streams loggers are never touched.
         */
        public Builder quietLogging(boolean quiet) {
            this.quietLogging = quiet;
            return this;
        }

        /**
         * Adds a SASL_PLAINTEXT listener accepting SCRAM-SHA-512 and creates this user; see
         * {@link EmbeddedKafkaBroker#saslClientProperties()}. The plaintext listener stays open.
         */
        public Builder scramUser(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isBlank() || password.isEmpty()) {
                throw new IllegalArgumentException("SCRAM username and password must not be empty");
            }
            this.scramUser = new ScramUser(username, password);
            return this;
        }

        /** Sets any broker config, overriding the embedded defaults; for cases the other options do not cover. */
        public Builder brokerProperty(String key, Object value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Starts the broker; returns once it accepts client requests. */
        public EmbeddedKafkaBroker start() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
