package io.seqcast.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seqcast.config.ConfigProblem;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.InvalidConfigurationException;
import io.seqcast.config.PipelineConfig;
import io.seqcast.metrics.EngineBinders;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.metrics.HttpEndpoint;
import io.seqcast.metrics.SeriesWatch;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelRegistry;
import java.util.HashMap;
import java.util.Map;
import io.seqcast.state.SeriesState;
import io.seqcast.topology.Names;
import io.seqcast.topology.TopologyFactory;
import io.seqcast.web.LivePage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running seqcast instance: the Kafka Streams application built from the pipelines, plus its HTTP endpoint. One
 * instance on a laptop, or many with the same {@code application.id} sharing the input partitions.
 */
public final class Engine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final KafkaStreams streams;
    private final HttpEndpoint http;
    private final PrometheusMeterRegistry registry;
    private final EngineMetrics metrics;
    private final AutoCloseable livePage;

    private Engine(KafkaStreams streams, HttpEndpoint http, PrometheusMeterRegistry registry, EngineMetrics metrics,
            AutoCloseable livePage) {
        this.streams = streams;
        this.http = http;
        this.registry = registry;
        this.metrics = metrics;
        this.livePage = livePage;
    }

    /**
     * Checks the topics, builds the topology and starts it. Returns once Kafka Streams is started (not necessarily
     * running: see {@link #awaitRunning}).
     */
    public static Engine start(
            EngineConfig config, List<PipelineConfig> pipelines,
            Function<PipelineConfig, SequenceModel> initialModels) {
        prepareTopics(config, pipelines);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", config.applicationId());
        EngineBinders.bindJvm(registry);
        EngineMetrics metrics = new EngineMetrics(registry,
                SeriesWatch.of(config.watchedSeries(), config.watchedSeriesMax()));
        ModelRegistry models = models(config, pipelines, initialModels, metrics);
        Topology topology = TopologyFactory.serving(pipelines, p -> models.current(p.name()), metrics);
        KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; shutting this instance down so that another can take over", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
        EngineBinders.bindStreams(registry, streams);
        HttpEndpoint http;
        try {
            http = HttpEndpoint.start(config.httpBindAddress(), config.httpPort(), registry, streams::state);
        } catch (IOException e) {
            streams.close();
            throw new InvalidConfigurationException(List.of(new ConfigProblem("configuration", "http.port",
                    "cannot listen on " + config.httpBindAddress() + ":" + config.httpPort() + ": " + e.getMessage(),
                    "choose a free port with --http-port (0 picks one)")));
        }
        AutoCloseable livePage = LivePage.start(config, pipelines, http, metrics, streams::state);
        streams.start();
        log.info("Started {} pipeline(s) {} on {}; live page on http://{}:{}/, metrics on /metrics",
                pipelines.size(),
                pipelines.stream().map(PipelineConfig::name).toList(), config.bootstrapServers(),
                config.httpBindAddress(), http.port());
        return new Engine(streams, http, registry, metrics, () -> {
            livePage.close();
            models.close();
        });
    }

    /**
     * The models served: those of the pipeline files, switched live by versions published to the models topic
     * when it exists.
     */
    private static ModelRegistry models(EngineConfig config, List<PipelineConfig> pipelines,
            Function<PipelineConfig, SequenceModel> initial, EngineMetrics metrics) {
        Map<String, SequenceModel> first = new HashMap<>();
        pipelines.forEach(p -> first.put(p.name(), initial.apply(p)));
        try (Admin admin = Admin.create(config.clientProperties())) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(config.modelsTopic())) {
                log.info("No models topic '{}': serving the models of the pipeline files (create the topic, or start"
                        + " with --create-topics, to publish new versions live)", config.modelsTopic());
                return ModelRegistry.fixed(pipelines, first, metrics);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + config.bootstrapServers() + ": "
                    + e.getMessage(), e);
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
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("Kafka Streams is " + s + "; see the log for the cause");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return false;
    }

    /**
     * Series whose state this instance holds for {@code pipeline}, counted exactly by scanning its state stores
     * (an interactive query: every key is read). For checks and benchmarks; the {@code seqcast.series.held} gauge is
     * RocksDB's cheap estimate.
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
        streams.close(Duration.ofSeconds(30));
        try {
            livePage.close();
        } catch (Exception e) {
            log.warn("Closing the live page failed: {}", e.getMessage());
        }
        http.close();
        registry.close();
        log.info("Closed clean");
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
                    log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
                }
                return;
            }
            List<ConfigProblem> problems = new ArrayList<>();
            for (PipelineConfig p : pipelines) {
                if (!existing.contains(p.input().topic())) {
                    problems.add(new ConfigProblem(p.source().toString(), "input.topic",
                            "topic '" + p.input().topic() + "' does not exist on " + config.bootstrapServers() + ".",
                            "create it (keyed by series, as many partitions as instances you plan), or start with"
                                    + " --create-topics"));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + config.bootstrapServers() + ": " + e.getMessage()
                    + ". Check bootstrap.servers and that the cluster is up.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }
}
