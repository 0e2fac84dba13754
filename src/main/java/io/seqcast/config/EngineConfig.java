package io.seqcast.config;

import io.seqcast.state.BoundedRocksDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Engine settings: which cluster, which pipelines, how Kafka Streams runs them. Every key is declared once in
 * {@link #DEFINITION}; the README's configuration table is generated from it. Values come, later ones winning,
 * from defaults, a properties file, environment variables ({@code SEQCAST_BOOTSTRAP_SERVERS} for
 * {@code bootstrap.servers}) and command-line options. Keys starting with {@code kafka.} pass through, without the
 * prefix, to the Kafka clients and Streams (for example {@code kafka.security.protocol=SASL_SSL}).
 */
public final class EngineConfig {

    public static final String PASS_THROUGH_PREFIX = "kafka.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    "bootstrap.servers",
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Kafka cluster to connect to, host:port[,host:port]. 'seqcast demo' sets it to"
                            + " its embedded broker.")
            .define(
                    "application.id",
                    Type.STRING,
                    "seqcast",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Kafka Streams application id: instances with the same id share the work by partitions; it"
                            + " prefixes the consumer group and the changelog topics.")
            .define(
                    "pipelines",
                    Type.STRING,
                    "topology",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Pipeline file, or directory of pipeline files (*.yaml).")
            .define(
                    "state.dir",
                    Type.STRING,
                    "state",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Directory of the local state stores (restored from changelogs when lost).")
            .define(
                    "state.memory.bytes",
                    Type.LONG,
                    BoundedRocksDb.DEFAULT_BYTES,
                    Range.atLeast(4L << 20),
                    Importance.MEDIUM,
                    "Off-heap memory of all RocksDB state stores of this instance together: one shared block cache"
                            + " (index and filter blocks included) with the memtables, at most half of it, charged to"
                            + " it. Resident memory stays bounded however many series and partitions; more makes"
                            + " state reads of a large working set cheaper.")
            .define(
                    "processing.guarantee",
                    Type.STRING,
                    StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.HIGH,
                    "exactly_once_v2 commits each step's state and outputs together; at_least_once may repeat steps"
                            + " after a crash.")
            .define(
                    "num.stream.threads",
                    Type.INT,
                    1,
                    Range.between(1, 256),
                    Importance.MEDIUM,
                    "Stream threads in this instance.")
            .define(
                    "num.standby.replicas",
                    Type.INT,
                    0,
                    Range.between(0, 10),
                    Importance.MEDIUM,
                    "Standby copies of each state store on other instances, for fast fail-over.")
            .define(
                    "commit.interval.ms",
                    Type.LONG,
                    100L,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "How often state and outputs are committed; with exactly-once, outputs become visible to"
                            + " read_committed consumers at commits. Kafka Streams' poll.ms follows it when it is"
                            + " below 100, so that a lull in the input does not hold processed records back until"
                            + " the poll times out (kafka.poll.ms overrides).")
            .define(
                    "topics.create",
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Create missing input and output topics at start-up (topics.partitions partitions each).")
            .define(
                    "topics.partitions",
                    Type.INT,
                    4,
                    Range.between(1, 10000),
                    Importance.LOW,
                    "Partitions of topics created by topics.create.")
            .define(
                    "topics.replication.factor",
                    Type.SHORT,
                    (short) 1,
                    Range.between(1, 32),
                    Importance.LOW,
                    "Replication factor of topics created by topics.create.")
            .define(
                    "models.topic",
                    Type.STRING,
                    "seqcast.models",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Compacted topic of published model versions ('seqcast models publish', 'seqcast trainer', which"
                            + " create it when missing); every instance follows it, once it exists, and switches to a"
                            + " version published there without a restart.")
            .define(
                    "http.port",
                    Type.INT,
                    8080,
                    Range.between(0, 65535),
                    Importance.MEDIUM,
                    "Port of the HTTP endpoint (/metrics, /health/live, /health/ready); 0 picks a free one.")
            .define(
                    "http.bind.address",
                    Type.STRING,
                    "127.0.0.1",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Address the HTTP endpoint binds to; 0.0.0.0 to expose it beyond this host.")
            .define(
                    "metrics.series",
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "Series watched one by one: exported as per-series gauges (observed, forecast, bounds, score)"
                            + " and shown on the live page. Empty: the first metrics.series.max series seen.")
            .define(
                    "metrics.series.max",
                    Type.INT,
                    10,
                    Range.between(0, 1000),
                    Importance.LOW,
                    "At most this many watched series, so that per-series labels stay bounded however many series"
                            + " flow; 0 watches none unless metrics.series names them.")
            .define(
                    "group.instance.id",
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Static membership: a name unique to this instance and kept across its restarts (each stream"
                            + " thread appends its number). A restarted instance takes its partitions back at once"
                            + " instead of waiting for the session timeout (kafka.session.timeout.ms, 45 s) to move"
                            + " them; set the session timeout above the longest restart. Empty: dynamic membership.")
            .define(
                    "time.max.ahead.ms",
                    Type.LONG,
                    86_400_000L,
                    Range.atLeast(0L),
                    Importance.MEDIUM,
                    "Observations whose event time is more than this after the wall clock are refused as"
                            + " time-out-of-range (clock skew allowance; 1 day by default). Event times are always"
                            + " within years 0001 to 9999, as epoch milliseconds or ISO-8601 text.")
            .define(
                    "time.max.behind.ms",
                    Type.LONG,
                    -1L,
                    Range.atLeast(-1L),
                    Importance.LOW,
                    "Observations whose event time is more than this before the wall clock are refused as"
                            + " time-out-of-range; -1 (the default) accepts any past time, so that history can be"
                            + " replayed.")
            .define(
                    "health.broker.timeout.ms",
                    Type.LONG,
                    15_000L,
                    Range.atLeast(1_000L),
                    Importance.MEDIUM,
                    "/health/ready answers 503 once the cluster has been unreachable for this long.")
            .define(
                    "health.unassigned.timeout.ms",
                    Type.LONG,
                    60_000L,
                    Range.atLeast(0L),
                    Importance.MEDIUM,
                    "/health/ready answers 503 once this instance has had no input partition assigned for this"
                            + " long (an instance beyond the partition count, or a group that cannot settle).")
            .define(
                    "stall.timeout.ms",
                    Type.LONG,
                    120_000L,
                    Range.atLeast(1_000L),
                    Importance.MEDIUM,
                    "A stream is stalled when input waits and no record has been processed for this long while"
                            + " Kafka Streams runs and the cluster answers: /health/ready answers 503 and, with"
                            + " stall.restart, the engine logs it and restarts Kafka Streams.")
            .define(
                    "stall.restart",
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Restart Kafka Streams in this process when a stream stalls (new producers and transactions;"
                            + " the state on disk is kept). Off: only /health/ready reports the stall, for an"
                            + " orchestrator to restart the instance.");

    private final Map<String, Object> values;
    private final Map<String, String> passThrough;

    private EngineConfig(Map<String, Object> values, Map<String, String> passThrough) {
        this.values = values;
        this.passThrough = passThrough;
    }

    /**
     * Merges the sources (later wins) and validates; throws {@link InvalidConfigurationException} naming every bad
     * key.
     *
     * @param sources source name to raw settings, in increasing precedence
     */
    public static EngineConfig from(Map<String, Map<String, String>> sources) {
        Map<String, String> merged = new HashMap<>();
        Map<String, String> origin = new HashMap<>();
        for (var source : sources.entrySet()) {
            for (var e : source.getValue().entrySet()) {
                merged.put(e.getKey(), e.getValue());
                origin.put(e.getKey(), source.getKey());
            }
        }
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Object> values =
                Settings.parse(DEFINITION, merged, "configuration", Set.of(PASS_THROUGH_PREFIX), problems);
        if (!problems.isEmpty()) {
            List<ConfigProblem> located = problems.stream()
                    .map(p -> new ConfigProblem(
                            origin.getOrDefault(p.key(), "configuration"), p.key(), p.problem(), p.fix()))
                    .toList();
            throw new InvalidConfigurationException(located);
        }
        Map<String, String> passThrough = new HashMap<>();
        merged.forEach((k, v) -> {
            if (k.startsWith(PASS_THROUGH_PREFIX)) {
                passThrough.put(k.substring(PASS_THROUGH_PREFIX.length()), v);
            }
        });
        return new EngineConfig(values, passThrough);
    }

    /** Settings from environment variables: {@code SEQCAST_STATE_DIR} is {@code state.dir}. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("SEQCAST_")) {
                String key = k.substring("SEQCAST_".length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                if (key.startsWith("kafka.") || DEFINITION.configKeys().containsKey(key)) {
                    out.put(key, v);
                }
            }
        });
        return out;
    }

    public String bootstrapServers() {
        return (String) values.get("bootstrap.servers");
    }

    public String applicationId() {
        return (String) values.get("application.id");
    }

    public Path pipelines() {
        return Path.of((String) values.get("pipelines"));
    }

    public Path stateDir() {
        return Path.of((String) values.get("state.dir"));
    }

    public boolean createTopics() {
        return (Boolean) values.get("topics.create");
    }

    public int topicPartitions() {
        return (Integer) values.get("topics.partitions");
    }

    public short replicationFactor() {
        return (Short) values.get("topics.replication.factor");
    }

    public String modelsTopic() {
        return (String) values.get("models.topic");
    }

    public int httpPort() {
        return (Integer) values.get("http.port");
    }

    public String httpBindAddress() {
        return (String) values.get("http.bind.address");
    }

    /** Series named by {@code metrics.series}; empty when the first {@link #watchedSeriesMax()} seen are watched. */
    @SuppressWarnings("unchecked")
    public List<String> watchedSeries() {
        return (List<String>) values.get("metrics.series");
    }

    public int watchedSeriesMax() {
        return (Integer) values.get("metrics.series.max");
    }

    /** The static membership name ({@code group.instance.id}), empty for dynamic membership. */
    public String groupInstanceId() {
        return (String) values.get("group.instance.id");
    }

    /** Accepted event times: {@code time.max.ahead.ms} and {@code time.max.behind.ms}. */
    public io.seqcast.event.TimeWindow timeWindow() {
        long behind = (Long) values.get("time.max.behind.ms");
        return new io.seqcast.event.TimeWindow(
                java.time.Duration.ofMillis((Long) values.get("time.max.ahead.ms")),
                behind < 0 ? null : java.time.Duration.ofMillis(behind));
    }

    public java.time.Duration healthBrokerTimeout() {
        return java.time.Duration.ofMillis((Long) values.get("health.broker.timeout.ms"));
    }

    public java.time.Duration healthUnassignedTimeout() {
        return java.time.Duration.ofMillis((Long) values.get("health.unassigned.timeout.ms"));
    }

    /** No progress for this long while input waits is a stall. */
    public java.time.Duration stallTimeout() {
        return java.time.Duration.ofMillis((Long) values.get("stall.timeout.ms"));
    }

    /** Whether a stall restarts Kafka Streams in this process. */
    public boolean restartStalled() {
        return (Boolean) values.get("stall.restart");
    }

    /** Settings for Kafka clients (admin, producers, consumers): the cluster and the pass-through keys. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.putAll(passThrough);
        return p;
    }

    /** Kafka Streams' own default of {@code poll.ms}. */
    static final long POLL_MS_DEFAULT = 100;

    /** Settings for Kafka Streams. */
    public Properties streamsProperties() {
        Properties p = clientProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, values.get("processing.guarantee"));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, values.get("num.stream.threads"));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, values.get("num.standby.replicas"));
        long commitMs = (Long) values.get("commit.interval.ms");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        // A stream thread commits only between polls: with input pausing, the records it has processed wait in an
        // open transaction until the poll returns, up to poll.ms (100). Polling no longer than a commit interval
        // keeps a short interval short.
        p.put(StreamsConfig.POLL_MS_CONFIG, Math.min(POLL_MS_DEFAULT, commitMs));
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        p.put(BoundedRocksDb.CONFIG, values.get("state.memory.bytes"));
        // seqcast's processors handle bad input themselves; this only opts in to Kafka 5.0's default early. The
        // partition assignor builds a second StreamsConfig from the main consumer's settings, which hold consumer
        // keys only; without the key there too, that copy warns at every start that the handler is not enabled
        p.put("processing.exception.handler.global.enabled", true);
        p.put(StreamsConfig.mainConsumerPrefix("processing.exception.handler.global.enabled"), true);
        p.put(
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                io.seqcast.errors.DeadLetterProductionHandler.class);
        if (!groupInstanceId().isEmpty()) {
            p.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId());
        }
        // Streams' exactly-once default of 10 s lets a stall of the machine (GC, CPU starvation) abort a
        // transaction under the producer's feet; a restarted instance fences the old transaction at once anyway
        p.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 60_000);
        p.putAll(passThrough);
        return p;
    }
}
