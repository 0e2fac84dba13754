package io.seqcast.bench;

import io.seqcast.app.Engine;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.GapPolicy;
import io.seqcast.config.PipelineConfig.Mode;
import io.seqcast.event.EventJson;
import io.seqcast.event.FieldMapping;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The real engine ({@link Engine#start}, the production topology) on a broker, fed a synthetic load: {@code series}
 * series, one observation each per round, event times one interval apart (no gaps, no duplicates).
 *
 * <p>Two measurements: <b>throughput</b> preloads the observations, starts the engine and times the forecasts read
 * back (read_committed) from the first to the last; <b>latency</b> sends at a fixed rate while the engine runs and
 * takes, per forecast, the receive time minus the producer's send time (the record timestamp, which the forecast
 * keeps). Every run gets its own topics, application id and state directory.
 */
public final class EngineBench {

    /** What one engine run is asked to do. */
    public record Load(
            int series, long observations, int partitions, String guarantee, long commitMs, Map<String, String> kafka) {

        /** Streams' defaults beyond the commit interval. */
        public Load(int series, long observations, int partitions, String guarantee, long commitMs) {
            this(series, observations, partitions, guarantee, commitMs, Map.of());
        }
    }

    /** What one engine run measured. */
    public record Run(
            String variant,
            double eventsPerSecond,
            double cpuCores,
            long heapUsed,
            long resident,
            double[] latencyMs,
            long forecasts) {

        public double percentile(double p) {
            if (latencyMs.length == 0) {
                return Double.NaN;
            }
            double[] s = latencyMs.clone();
            Arrays.sort(s);
            return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
        }
    }

    /**
     * What a capacity run measured beyond throughput: series held (exact count of the store, and the gauge's
     * estimate), bytes of the state directory (RocksDB files, after the engine closed and flushed), bytes of the
     * changelog topics on the broker (before log compaction), the shared RocksDB cache.
     */
    public record Capacity(
            Run run,
            long seriesHeld,
            double seriesGauge,
            long stateDirBytes,
            long changelogBytes,
            long rocksDbCacheBytes) {}

    private static final AtomicLong RUNS = new AtomicLong();
    /** A throughput run ends when no forecast came for this long. */
    private static final Duration IDLE = Duration.ofSeconds(20);

    private final String bootstrap;
    private final Path work;

    public EngineBench(String bootstrap, Path work) {
        this.bootstrap = bootstrap;
        this.work = work;
    }

    /** Whether runs learn per series ({@code seqcast bench --learn}); set once, before any run. */
    private static volatile boolean learning;

    /**
     * Runs from now on learn per series (daily calendar inputs) with the machines pipeline's seasonal profiles and
     * combined forecasts, or not.
     */
    public static void learning(boolean on) {
        learning = on;
    }

    /**
     * The synthetic pipeline of a run: one feature, horizon 6, no gap ever (tolerance far above any spacing); with
     * {@link #learning}, per-series learning, profiles of 48 and 168 buckets and combined forecasts.
     */
    static PipelineConfig pipeline(String id) {
        return pipeline(id, learning);
    }

    /** {@link #pipeline(String)} with per-series learning on or off. */
    static PipelineConfig pipeline(String id, boolean learning) {
        PipelineConfig p = plainPipeline(id);
        if (!learning) {
            return p;
        }
        var daily = PipelineConfig.Learning.on().withCalendar(io.seqcast.learn.Inputs.Calendar.DAILY);
        return p.toBuilder()
                .forecast(new PipelineConfig.ForecastSettings(6, 0.9, true, daily))
                .profiles(new PipelineConfig.Profiles(48, 168))
                .build();
    }

    private static PipelineConfig plainPipeline(String id) {
        return PipelineConfig.builder()
                .name("bench")
                .source(Path.of("bench.yaml"))
                .input(new PipelineConfig.Input(id + ".obs", FieldMapping.DEFAULT))
                .sampling(new PipelineConfig.Sampling(Duration.ofSeconds(1), 1e9, GapPolicy.RESET, 0))
                .modelArtifact(Path.of("bench.seqcast"))
                .mode(Mode.STATEFUL)
                .window(new PipelineConfig.Window(16, 1))
                .forecast(new PipelineConfig.ForecastSettings(6, 0.9, false, PipelineConfig.Learning.OFF))
                .anomaly(new PipelineConfig.AnomalySettings(
                        0.0005, 0.000001, 288, 6, PipelineConfig.AnomalySettings.REFRACTORY, true))
                .output(new PipelineConfig.Output(
                        id + ".forecasts", id + ".alerts", id + ".dlq", "seqcast.classifications"))
                .build();
    }

    /** Serialized bytes of one series' state in the store, for {@code model}'s shape. */
    public static int stateBytes(SequenceModel model) {
        var forecaster = new SeriesForecaster(pipeline("size"), model.copy());
        return new SeriesStateSerde().serialize(null, forecaster.initialState()).length;
    }

    /** Preloads the observations, then times the engine working through them. */
    public Run throughput(String variant, SequenceModel model, Load load) throws Exception {
        return throughput(variant, model, load, learning);
    }

    /** Like {@link #throughput(String, SequenceModel, Load)}, with per-series learning on or off for this run. */
    public Run throughput(String variant, SequenceModel model, Load load, boolean learn) throws Exception {
        return throughput(variant, model, load, learn, PipelineConfig.StateStore.ROCKSDB);
    }

    /** Like {@link #throughput(String, SequenceModel, Load, boolean)}, the state in a store of kind {@code store}. */
    public Run throughput(
            String variant, SequenceModel model, Load load, boolean learn, PipelineConfig.StateStore store)
            throws Exception {
        return throughput(variant, model, load, learn, store, PipelineConfig.DEFAULT_STATE_CACHE);
    }

    /**
     * Like {@link #throughput(String, SequenceModel, Load, boolean, PipelineConfig.StateStore)}, with a decoded state
     * cache of {@code stateCache} series per task ({@code state.cache}; 0: none).
     */
    public Run throughput(
            String variant,
            SequenceModel model,
            Load load,
            boolean learn,
            PipelineConfig.StateStore store,
            int stateCache)
            throws Exception {
        String id = nextRunAfterFullCollection();
        PipelineConfig p = pipeline(id, learn).withStore(store).withStateCache(stateCache);
        return throughput(id, variant, p, () -> start(id, p, model, load), load, engine -> {});
    }

    /**
     * Like {@link #throughput(String, SequenceModel, Load, boolean)}, the series' states persisted as {@code
     * persistence} says: one of the bounds of what persisting them costs, or as declared.
     */
    public Run throughput(String variant, SequenceModel model, Load load, boolean learn, Persistence persistence)
            throws Exception {
        String id = nextRunAfterFullCollection();
        PipelineConfig p = pipeline(id, learn);
        return throughput(id, variant, p, () -> start(id, p, model, load, persistence), load, engine -> {});
    }

    /**
     * How a run persists the series' states: as the pipeline declares (what {@code seqcast run} does), or one of two
     * bounds of what persisting them costs, which no pipeline can choose. Exactly-once processing of the input and
     * output is the run's either way.
     */
    public enum Persistence {
        /** The store as declared: RocksDB, changelogged, the decoded state cache in front. */
        DECLARED(UnaryOperator.identity()),
        /** Bound: the declared store and cache with the changelog off: what the changelog and its broker work cost. */
        UNLOGGED(StoreBuilder::withLoggingDisabled),
        /**
         * Bound: the states on the heap only ({@link HeapSeriesStore}): no encoding, no store, no changelog, the
         * ceiling of any persistence design.
         */
        HEAP_ONLY(HeapSeriesStore::instead);

        private final UnaryOperator<StoreBuilder<KeyValueStore<String, SeriesState>>> seriesStore;

        Persistence(UnaryOperator<StoreBuilder<KeyValueStore<String, SeriesState>>> seriesStore) {
            this.seriesStore = seriesStore;
        }
    }

    /**
     * The plain Kafka Streams yardstick ({@link PlainStreams}) on the same load: preloaded observations, forecasts
     * read back (read_committed) from the first to the last.
     */
    public Run plainStreams(String variant, Load load) throws Exception {
        return plainStreams(variant, load, 0);
    }

    /**
     * {@link #plainStreams(String, Load)} with Kafka Streams' record cache on the store, {@code cacheBytes} of it
     * ({@code statestore.cache.max.bytes}); 0: the defaults (no cache on a store built by the Processor API).
     */
    public Run plainStreams(String variant, Load load, long cacheBytes) throws Exception {
        String id = nextRunAfterFullCollection();
        PipelineConfig p = pipeline(id, false);
        Path dir = Files.createDirectories(work.resolve(id));
        return throughput(
                id,
                variant,
                p,
                () -> {
                    var streams = PlainStreams.start(
                            bootstrap,
                            id,
                            dir,
                            load.guarantee(),
                            p.input().topic(),
                            p.output().forecasts(),
                            cacheBytes);
                    return streams::close;
                },
                load,
                app -> {});
    }

    /** What a throughput run starts and closes: the engine, or the plain Kafka Streams application. */
    @FunctionalInterface
    private interface App {
        AutoCloseable start() throws Exception;
    }

    /**
     * A throughput run, then what the engine holds: every series counted in the store while it still runs, the
     * state directory and changelog measured once it closed.
     */
    public Capacity capacity(SequenceModel model, Load load) throws Exception {
        String id = "bench-" + RUNS.incrementAndGet();
        long[] held = new long[1];
        double[] gauge = new double[1];
        long[] cache = new long[1];
        PipelineConfig p = pipeline(id);
        Run run = throughput(id, "capacity", p, () -> start(id, p, model, load), load, app -> {
            Engine engine = (Engine) app;
            held[0] = engine.seriesHeld("bench");
            var meter = engine.registry().find("seqcast.series.held").gauge();
            gauge[0] = meter == null ? Double.NaN : meter.value();
            cache[0] = io.seqcast.state.BoundedRocksDb.usage();
        });
        return new Capacity(run, held[0], gauge[0], directoryBytes(work.resolve(id)), changelogBytes(id), cache[0]);
    }

    private Run throughput(
            String id,
            String variant,
            PipelineConfig p,
            App app,
            Load load,
            java.util.function.Consumer<AutoCloseable> atEnd)
            throws Exception {
        createTopics(p, load.partitions());
        try (KafkaProducer<byte[], byte[]> producer = producer(5)) {
            send(producer, p, load, 0, load.observations(), 0, new AtomicBoolean());
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(p)) {
            long cpu0 = ProcessStats.cpuNanos();
            long wall0 = System.nanoTime();
            try (AutoCloseable engine = app.start()) {
                long first = 0;
                long last = 0;
                long seen = 0;
                // at least 10 minutes, and enough for 1,000 events/s
                long deadline = System.nanoTime()
                        + TimeUnit.MINUTES.toNanos(10)
                        + TimeUnit.MILLISECONDS.toNanos(load.observations());
                long idleSince = System.nanoTime();
                while (seen < load.observations() && System.nanoTime() < deadline) {
                    int n = consumer.poll(Duration.ofMillis(200)).count();
                    if (n == 0 && seen > 0 && System.nanoTime() - idleSince > IDLE.toNanos()) {
                        break; // some forecasts never come (a refused record): rate over those that did
                    }
                    if (n > 0) {
                        long now = System.nanoTime();
                        idleSince = now;
                        if (seen == 0) {
                            first = now;
                        }
                        seen += n;
                        last = now;
                    }
                }
                double cores = (ProcessStats.cpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
                if (seen < load.observations()) {
                    org.slf4j.LoggerFactory.getLogger(EngineBench.class)
                            .warn("{}: {} of {} forecasts read back", variant, seen, load.observations());
                }
                double rate = seen > 1 && last > first ? (seen - 1) * 1e9 / (last - first) : 0;
                Run run = new Run(
                        variant,
                        rate,
                        cores,
                        ProcessStats.heapUsedBytes(),
                        ProcessStats.residentBytes(),
                        new double[0],
                        seen);
                atEnd.accept(engine);
                return run;
            }
        }
    }

    /** Bytes of the changelog topics of application {@code id} in the broker's log directories. */
    private long changelogBytes(String id) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            var brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.common.Node::id)
                    .toList();
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(brokers)
                    .allDescriptions()
                    .get(30, TimeUnit.SECONDS)
                    .values()) {
                for (var dir : dirs.values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        String topic = replica.getKey().topic();
                        if (topic.startsWith(id + "-") && topic.endsWith("-changelog")) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    /**
     * The Python baseline against the same broker and load: {@code script} (scripts/bench_python_consumer.py)
     * consumes the preloaded observations with a PyTorch step per message; returns its messages per second.
     */
    public double pythonConsumer(Path script, Load load) throws Exception {
        String id = "bench-" + RUNS.incrementAndGet();
        PipelineConfig p = pipeline(id);
        createTopics(p, load.partitions());
        try (KafkaProducer<byte[], byte[]> producer = producer(5)) {
            send(producer, p, load, 0, load.observations(), 0, new AtomicBoolean());
        }
        Process proc = new ProcessBuilder(
                        "/usr/bin/python3",
                        script.toString(),
                        "--bootstrap",
                        bootstrap,
                        "--topic",
                        p.input().topic(),
                        "--out-topic",
                        p.output().forecasts(),
                        "--count",
                        Long.toString(load.observations()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!proc.waitFor(10, TimeUnit.MINUTES) || proc.exitValue() != 0 || out.isEmpty()) {
            proc.destroyForcibly();
            throw new IllegalStateException("python consumer " + script + " failed (exit "
                    + (proc.isAlive() ? "none" : proc.exitValue()) + "): " + out);
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last);
        String blas = result.path("blas").asText("unknown BLAS");
        if (!blas.equals("OpenBLAS") && !blas.equals("MKL")) {
            // on the reference BLAS the baseline is several times slower than its users run it: not a yardstick
            throw new IllegalStateException("python consumer " + script + " ran on " + blas + ", not OpenBLAS: not"
                    + " reported (Debian: apt-get install libopenblas0-pthread)");
        }
        return result.get("rate").asDouble();
    }

    /** Sends at {@code rate} observations per second for {@code duration} while the engine runs; latency per forecast. */
    public Run latency(String variant, SequenceModel model, Load load, double rate, Duration duration, Duration warmup)
            throws Exception {
        return latency(variant, model, load, rate, duration, warmup, learning, PipelineConfig.DEFAULT_STATE_CACHE);
    }

    /**
     * Like {@link #latency(String, SequenceModel, Load, double, Duration, Duration)}, learning on or off, with a
     * decoded state cache of {@code stateCache} series per task ({@code state.cache}; 0: none).
     */
    public Run latency(
            String variant,
            SequenceModel model,
            Load load,
            double rate,
            Duration duration,
            Duration warmup,
            boolean learn,
            int stateCache)
            throws Exception {
        String id = nextRunAfterFullCollection();
        PipelineConfig p = pipeline(id, learn).withStateCache(stateCache);
        createTopics(p, load.partitions());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(p);
                Engine engine = start(id, p, model, load);
                KafkaProducer<byte[], byte[]> producer = producer(0)) {
            engine.awaitRunning(Duration.ofSeconds(60));
            long total = (long) (rate * (duration.toMillis() + warmup.toMillis()) / 1000);
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = new Thread(() -> send(producer, p, load, 0, total, rate, stop), "bench-sender");
            long cpu0 = ProcessStats.cpuNanos();
            long wall0 = System.nanoTime();
            long measureFrom = System.currentTimeMillis() + warmup.toMillis();
            sender.start();
            double[] lat = new double[(int) total];
            int n = 0;
            long seen = 0;
            long deadline =
                    System.nanoTime() + duration.plus(warmup).plusSeconds(30).toNanos();
            while (seen < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    seen++;
                    if (r.timestamp() >= measureFrom && n < lat.length) {
                        lat[n++] = now - r.timestamp();
                    }
                }
            }
            stop.set(true);
            sender.join(10_000);
            double cores = (ProcessStats.cpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
            return new Run(
                    variant,
                    seen * 1e9 / (System.nanoTime() - wall0),
                    cores,
                    ProcessStats.heapUsedBytes(),
                    ProcessStats.residentBytes(),
                    Arrays.copyOf(lat, n),
                    seen);
        }
    }

    /**
     * The next run's application id, after a full collection: every run starts a new engine in this JVM, and the
     * states the last one held on its heap (its decoded state caches, 40 to 50 MiB for 10,000 series) are garbage in
     * the old generation by then; without the collection a full one fell at random into a later run (691 ms in a
     * latency run with the cache, 4 December), charging one variant for another's heap.
     */
    private static String nextRunAfterFullCollection() {
        System.gc();
        return "bench-" + RUNS.incrementAndGet();
    }

    private Engine start(String id, PipelineConfig p, SequenceModel model, Load load) throws IOException {
        return start(id, p, model, load, Persistence.DECLARED);
    }

    private Engine start(String id, PipelineConfig p, SequenceModel model, Load load, Persistence persistence)
            throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("application.id", id);
        settings.put("state.dir", Files.createDirectories(work.resolve(id)).toString());
        settings.put("processing.guarantee", load.guarantee());
        settings.put("commit.interval.ms", Long.toString(load.commitMs()));
        settings.put("http.port", "0");
        settings.put("metrics.series.max", "0");
        settings.put("models.topic", "bench.models");
        load.kafka().forEach((k, v) -> settings.put(EngineConfig.PASS_THROUGH_PREFIX + k, v));
        EngineConfig config = EngineConfig.from(Map.of("bench", settings));
        return Engine.start(config, List.of(p), any -> model, persistence.seriesStore);
    }

    private void createTopics(PipelineConfig p, int partitions) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> topics = new java.util.ArrayList<>();
            for (String t : List.of(
                    p.input().topic(),
                    p.output().forecasts(),
                    p.output().alerts(),
                    p.output().deadLetter(),
                    "bench.models")) {
                if (!existing.contains(t)) {
                    topics.add(
                            t.equals("bench.models")
                                    ? new NewTopic(t, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))
                                    : new NewTopic(t, partitions, (short) 1));
                }
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends observations {@code from..to} of the load: series {@code i % series}, round {@code i / series}, event
     * time one second per round; at {@code rate} per second (0: as fast as the producer goes).
     */
    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            PipelineConfig p,
            Load load,
            long from,
            long to,
            double rate,
            AtomicBoolean stop) {
        long base = 1_700_000_000_000L;
        byte[][] keys = new byte[load.series()][];
        for (int s = 0; s < keys.length; s++) {
            keys[s] = ("s-" + s).getBytes(StandardCharsets.UTF_8);
        }
        long start = System.nanoTime();
        for (long i = from; i < to && !stop.get(); i++) {
            int s = (int) (i % load.series());
            long round = i / load.series();
            double value = Math.sin(round * 0.1 + s) * 10 + 50 + (s % 7);
            String key = "s-" + s;
            producer.send(new ProducerRecord<>(
                    p.input().topic(), keys[s], EventJson.encodeObservation(key, base + round * 1000, value)));
            if (rate > 0) {
                long wait = start + (long) ((i - from + 1) * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
        producer.flush();
    }

    private KafkaProducer<byte[], byte[]> producer(int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // not idempotent: under a loaded machine the embedded broker refused idempotent batches with
        // OutOfOrderSequenceException; one request in flight keeps each series in order all the same
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(PipelineConfig p) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // assigned, not subscribed: no group join delay between the engine's first output and the first read
        List<org.apache.kafka.common.TopicPartition> partitions = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            // a topic just created can be missing from the metadata for a moment: an empty list, not an error
            partitions = c.partitionsFor(p.output().forecasts()).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
                    .toList();
        }
        if (partitions.isEmpty()) {
            c.close();
            throw new IllegalStateException("topic " + p.output().forecasts() + " has no partitions after 30 s");
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
