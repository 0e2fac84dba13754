package io.seqcast.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seqcast.config.ConfigProblem;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.InvalidConfigurationException;
import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetterLimits;
import io.seqcast.errors.DeadLetterProductionHandler;
import io.seqcast.forecast.ModelRoutes;
import io.seqcast.metrics.EngineBinders;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.metrics.HttpEndpoint;
import io.seqcast.metrics.RestoreLog;
import io.seqcast.metrics.SeriesWatch;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.registry.ModelRegistry;
import io.seqcast.state.SeriesState;
import io.seqcast.topology.Names;
import io.seqcast.topology.TopologyFactory;
import io.seqcast.web.LivePage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running seqcast instance: the Kafka Streams application built from the pipelines, plus its HTTP endpoint. One
 * instance on a laptop, or many with the same {@code application.id} sharing the input partitions.
 */
public final class Engine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** How often readiness is probed (the cluster, the assignment, progress). */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** How often an engine started without a models topic looks for it. */
    static final Duration MODELS_TOPIC_CHECK = Duration.ofSeconds(2);

    private final Supplier<KafkaStreams> factory;
    private final PrometheusMeterRegistry registry;
    private final EngineMetrics metrics;
    private final Set<String> inputTopics;
    private final String applicationId;
    private final Admin admin;
    private final Readiness readiness;
    private volatile KafkaStreams streams;
    private volatile AutoCloseable clientMeters;
    private volatile String notReady;
    private volatile boolean closing;
    private HttpEndpoint http;
    private AutoCloseable livePage;
    private Thread prober;

    private Engine(
            EngineConfig config,
            Supplier<KafkaStreams> factory,
            PrometheusMeterRegistry registry,
            EngineMetrics metrics,
            Set<String> inputTopics) {
        this.factory = factory;
        this.registry = registry;
        this.metrics = metrics;
        this.inputTopics = inputTopics;
        this.applicationId = config.applicationId();
        this.admin = Admin.create(config.clientProperties());
        this.readiness = new Readiness(
                config.healthBrokerTimeout(),
                config.healthUnassignedTimeout(),
                config.stallTimeout(),
                config.restartStalled(),
                System.currentTimeMillis());
        this.streams = factory.get();
        this.clientMeters = EngineBinders.bindClients(registry, streams);
        EngineBinders.bindState(registry, () -> this.streams);
    }

    /**
     * Checks the topics, builds the topology and starts it. Returns once Kafka Streams is started (not necessarily
     * running: see {@link #awaitRunning}).
     */
    public static Engine start(
            EngineConfig config,
            List<PipelineConfig> pipelines,
            Function<PipelineConfig, SequenceModel> initialModels) {
        return start(config, pipelines, initialModels, UnaryOperator.identity());
    }

    /**
     * Like {@link #start(EngineConfig, List, Function)}, each series store built by {@code seriesStore} applied to the
     * declared builder. For {@code seqcast bench} only: its bounds of what persisting the series' states costs (the
     * store unlogged, or the states on the heap only); {@code seqcast run} always builds the store as declared.
     */
    public static Engine start(
            EngineConfig config,
            List<PipelineConfig> pipelines,
            Function<PipelineConfig, SequenceModel> initialModels,
            UnaryOperator<StoreBuilder<KeyValueStore<String, SeriesState>>> seriesStore) {
        prepareTopics(config, pipelines);
        DeadLetterLimits limits = deadLetterLimits(config, pipelines);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", config.applicationId());
        EngineBinders.bindJvm(registry);
        EngineMetrics metrics =
                new EngineMetrics(registry, SeriesWatch.of(config.watchedSeries(), config.watchedSeriesMax()));
        RestoreLog restores = new RestoreLog(registry);
        pipelines.stream()
                .filter(p -> p.mode() != PipelineConfig.Mode.CLASSIFY)
                .forEach(p -> restores.declare(new Names(p.name()).store()));
        ModelRegistry models = models(config, pipelines, initialModels, metrics);
        // routed models are file-based, fixed at start-up: loaded once, shared (each task copies what it steps)
        Map<String, ModelRoutes> routes = new HashMap<>();
        pipelines.forEach(p -> routes.put(p.name(), ModelCatalog.routes(p)));
        Properties props = config.streamsProperties();
        props.put(
                DeadLetterProductionHandler.DEAD_LETTER_TOPICS,
                String.join(
                        ",",
                        pipelines.stream()
                                .map(p -> p.output().deadLetter())
                                .distinct()
                                .toList()));
        props.put(DeadLetterProductionHandler.LIMITS, limits);
        props.put(DeadLetterProductionHandler.METRICS, metrics);
        ThreadFailures failures = new ThreadFailures(metrics, System::currentTimeMillis);
        Supplier<KafkaStreams> factory = () -> {
            Topology topology = TopologyFactory.serving(
                    pipelines,
                    p -> models.current(p.name()),
                    p -> routes.get(p.name()),
                    metrics,
                    config.timeWindow(),
                    limits,
                    seriesStore);
            KafkaStreams streams = new KafkaStreams(topology, props);
            streams.setUncaughtExceptionHandler(failures);
            streams.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
            streams.setGlobalStateRestoreListener(restores);
            return streams;
        };
        Set<String> inputs = new LinkedHashSet<>();
        pipelines.forEach(p -> inputs.add(p.input().topic()));
        Engine engine = new Engine(config, factory, registry, metrics, inputs);
        try {
            engine.http = HttpEndpoint.start(
                    config.httpBindAddress(), config.httpPort(), registry, engine::state, () -> engine.notReady);
        } catch (IOException e) {
            engine.streams.close();
            engine.admin.close();
            throw new InvalidConfigurationException(List.of(new ConfigProblem(
                    "configuration",
                    "http.port",
                    "cannot listen on " + config.httpBindAddress() + ":" + config.httpPort() + ": " + e.getMessage(),
                    "choose a free port with --http-port (0 picks one)")));
        }
        AutoCloseable livePage = LivePage.start(config, pipelines, engine.http, metrics, engine::state);
        engine.livePage = () -> {
            livePage.close();
            models.close();
        };
        engine.streams.start();
        engine.prober = new Thread(engine::probe, "seqcast-readiness");
        engine.prober.setDaemon(true);
        engine.prober.start();
        log.info(
                "Started {} pipeline(s) {} on {}; live page on http://{}:{}/, metrics on /metrics",
                pipelines.size(),
                pipelines.stream().map(PipelineConfig::name).toList(),
                config.bootstrapServers(),
                config.httpBindAddress(),
                engine.http.port());
        return engine;
    }

    /** Probes readiness every {@link #PROBE_INTERVAL} until closed; restarts Kafka Streams when it stalls. */
    private void probe() {
        while (!closing) {
            try {
                Thread.sleep(PROBE_INTERVAL.toMillis());
                KafkaStreams current = streams;
                Readiness.Verdict verdict = readiness.assess(new Readiness.Probe(
                        System.currentTimeMillis(),
                        current.state(),
                        brokerReachable(),
                        partitionsAssigned(current),
                        processed(),
                        inputWaiting(current)));
                if (!Objects.equals(kind(verdict.reason()), kind(notReady))) { // not once a second in an outage
                    if (verdict.ready()) {
                        log.info("Ready again");
                    } else {
                        log.warn("Not ready: {}", verdict.reason());
                    }
                }
                notReady = verdict.reason();
                if (verdict.restart() && !closing) {
                    restartStreams(verdict.reason());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Readiness probe failed: {}", e.toString());
            }
        }
    }

    /** A reason without its figures: what is logged once, however long it lasts. */
    private static String kind(String reason) {
        return reason == null ? null : reason.replaceAll("\\d+", "#");
    }

    private boolean brokerReachable() {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes()
                    .get(3, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean partitionsAssigned(KafkaStreams streams) {
        try {
            return streams.metadataForLocalThreads().stream()
                    .anyMatch(t -> !t.activeTasks().isEmpty());
        } catch (RuntimeException e) { // not running yet, or closing
            return false;
        }
    }

    /** Input records this instance has taken up, all pipelines. */
    private long processed() {
        return (long) registry.find("seqcast.observations.received").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /**
     * True when an input partition assigned to this instance has more than one record beyond the application's
     * committed offset: input waits for this instance. Read from the cluster (committed and end offsets), not from
     * the stream thread's consumer, whose lag a stuck thread no longer updates. One record is let through: a
     * transaction marker after the last record can hold the end offset one ahead of the committed offset.
     */
    private boolean inputWaiting(KafkaStreams streams) {
        Set<TopicPartition> assigned = new HashSet<>();
        try {
            streams.metadataForLocalThreads()
                    .forEach(t -> t.activeTasks()
                            .forEach(task -> task.topicPartitions().stream()
                                    .filter(tp -> inputTopics.contains(tp.topic()))
                                    .forEach(assigned::add)));
        } catch (RuntimeException e) { // not running
            return false;
        }
        if (assigned.isEmpty()) {
            return false;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get(3, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            assigned.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(3, TimeUnit.SECONDS);
            for (TopicPartition tp : assigned) {
                OffsetAndMetadata c = committed.get(tp);
                var end = ends.get(tp);
                if (end != null && end.offset() - (c == null ? 0 : c.offset()) > 1) {
                    return true;
                }
            }
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Replaces a stalled Kafka Streams instance with a new one (new producers and transactions, same state). */
    private synchronized void restartStreams(String reason) {
        metrics.streamsRestarted();
        log.error(
                "Restarting Kafka Streams: {} (OutOfOrderSequence or another stuck transaction; see RELIABILITY.md)",
                reason);
        KafkaStreams old = streams;
        if (!old.close(Duration.ofSeconds(30))) {
            log.warn("The stalled Kafka Streams did not close within 30 s; starting the new one anyway");
        }
        closeQuietly(clientMeters);
        KafkaStreams fresh = factory.get();
        clientMeters = EngineBinders.bindClients(registry, fresh);
        streams = fresh;
        if (!closing) {
            fresh.start();
            log.info("Kafka Streams restarted");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("Closing {} failed: {}", c, e.toString());
        }
    }

    /**
     * The largest dead-letter record each dead-letter topic takes: the smallest of the producer's
     * {@code max.request.size} and the topic's {@code max.message.bytes} (as the cluster reports it; the producer's
     * limit alone when it cannot be read).
     */
    static DeadLetterLimits deadLetterLimits(EngineConfig config, List<PipelineConfig> pipelines) {
        Properties props = config.streamsProperties();
        Object requestSize = props.getOrDefault(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        int producerLimit =
                requestSize == null ? DeadLetterLimits.PRODUCER_DEFAULT : Integer.parseInt(requestSize.toString());
        DeadLetterLimits limits = new DeadLetterLimits(producerLimit);
        List<ConfigResource> topics = pipelines.stream()
                .map(p -> p.output().deadLetter())
                .distinct()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                .toList();
        try (Admin admin = Admin.create(config.clientProperties())) {
            var described = admin.describeConfigs(topics).all().get(30, TimeUnit.SECONDS);
            described.forEach((resource, topicConfig) -> {
                var entry = topicConfig.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry != null && entry.value() != null) {
                    int topicLimit = Integer.parseInt(entry.value());
                    limits.set(resource.name(), Math.min(producerLimit, topicLimit));
                }
            });
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn(
                    "Cannot read max.message.bytes of the dead-letter topics ({}); dead letters are cut to the"
                            + " producer's max.request.size, {} bytes",
                    e.toString(),
                    producerLimit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return limits;
    }

    /**
     * The models served: those of the pipeline files, switched live by versions published to the models topic
     * when it exists.
     */
    private static ModelRegistry models(
            EngineConfig config,
            List<PipelineConfig> pipelines,
            Function<PipelineConfig, SequenceModel> initial,
            EngineMetrics metrics) {
        Map<String, SequenceModel> first = new HashMap<>();
        pipelines.forEach(p -> first.put(p.name(), initial.apply(p)));
        try (Admin admin = Admin.create(config.clientProperties())) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(config.modelsTopic())) {
                log.info(
                        "No models topic '{}' yet: serving the models of the pipeline files, and following the"
                                + " topic once it is created (by seqcast trainer, or by hand)",
                        config.modelsTopic());
                return ModelRegistry.followOnceCreated(
                        config.clientProperties(), config.modelsTopic(), pipelines, first, metrics, MODELS_TOPIC_CHECK);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot reach Kafka at " + config.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for the models topic", e);
        }
        return ModelRegistry.follow(config.clientProperties(), config.modelsTopic(), pipelines, first, metrics);
    }

    /** Waits until Kafka Streams is running; false on timeout. Throws if it failed. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (s == KafkaStreams.State.ERROR
                    || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("Kafka Streams is " + s + "; see the log for the cause");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return false;
    }

    /**
     * Series whose state this instance holds for {@code pipeline}, counted exactly by scanning its state stores
     * (an interactive query: every key is read). For checks and benchmarks; the {@code seqcast.series.held} gauge
     * reports the same count, kept by the tasks as they insert and delete series.
     */
    public long seriesHeld(String pipeline) {
        ReadOnlyKeyValueStore<String, SeriesState> store = streams.store(StoreQueryParameters.fromNameAndType(
                new Names(pipeline).store(), QueryableStoreTypes.<String, SeriesState>keyValueStore()));
        long n = 0;
        try (KeyValueIterator<String, SeriesState> all = store.all()) {
            for (; all.hasNext(); all.next()) {
                n++;
            }
        }
        return n;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int httpPort() {
        return http.port();
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        closing = true;
        if (prober != null) {
            prober.interrupt();
        }
        synchronized (this) {
            streams.close(Duration.ofSeconds(30));
        }
        closeQuietly(clientMeters);
        try {
            livePage.close();
        } catch (Exception e) {
            log.warn("Closing the live page failed: {}", e.getMessage());
        }
        http.close();
        admin.close(Duration.ofSeconds(5));
        registry.close();
        log.info("Closed clean");
    }

    /** Why /health/ready answers 503 at the moment, or null when it answers 200 (probed every second). */
    public String notReady() {
        return notReady;
    }

    /** Verifies that input topics exist (or creates missing topics when {@code topics.create} is set). */
    static void prepareTopics(EngineConfig config, List<PipelineConfig> pipelines) {
        Set<String> inputs = new LinkedHashSet<>();
        Set<String> all = new LinkedHashSet<>();
        for (PipelineConfig p : pipelines) {
            inputs.add(p.input().topic());
            all.add(p.input().topic());
            if (p.classifies()) {
                all.add(p.output().classifications());
            } else {
                all.add(p.output().forecasts());
                all.add(p.output().alerts());
            }
            all.add(p.output().deadLetter());
        }
        try (Admin admin = Admin.create(config.clientProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (config.createTopics()) {
                List<NewTopic> missing = new ArrayList<>();
                for (String t : all) {
                    if (!existing.contains(t)) {
                        missing.add(new NewTopic(t, config.topicPartitions(), config.replicationFactor()));
                    }
                }
                if (!existing.contains(config.modelsTopic())) {
                    missing.add(ModelRegistry.newTopic(config.modelsTopic(), config.replicationFactor()));
                }
                if (!missing.isEmpty()) {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                    log.info(
                            "Created topics {}",
                            missing.stream().map(NewTopic::name).toList());
                }
                return;
            }
            List<ConfigProblem> problems = new ArrayList<>();
            for (PipelineConfig p : pipelines) {
                if (!existing.contains(p.input().topic())) {
                    problems.add(new ConfigProblem(
                            p.source().toString(),
                            "input.topic",
                            "topic '" + p.input().topic() + "' does not exist on " + config.bootstrapServers() + ".",
                            "create it (keyed by series, as many partitions as instances you plan), or start with"
                                    + " --create-topics"));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot reach Kafka at " + config.bootstrapServers() + ": " + e.getMessage()
                            + ". Check bootstrap.servers and that the cluster is up.",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }
}
