package io.seqcast.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How every seqcast command that talks to Kafka ({@code run}, {@code replay}, {@code tail}, {@code models},
 * {@code train --from-topic}, and any new one) configures its Kafka clients: one way for all. Sources, later ones
 * winning:
 * <ol>
 *   <li>the environment: {@code SEQCAST_BOOTSTRAP_SERVERS}, and {@code SEQCAST_KAFKA_<KEY>} for any client setting
 *       ({@code SEQCAST_KAFKA_SECURITY_PROTOCOL} is {@code security.protocol}), as {@code run} reads them;</li>
 *   <li>a client properties file ({@code --command-config FILE}, the convention of Kafka's own tools: plain client
 *       keys such as {@code security.protocol}, {@code sasl.jaas.config}, {@code ssl.truststore.location});</li>
 *   <li>{@code key=value} settings ({@code -D}); a {@code kafka.} prefix is accepted and dropped, so the
 *       {@code -D kafka.security.protocol=SASL_SSL} that {@code run} takes works everywhere;</li>
 *   <li>{@code --bootstrap-servers}.</li>
 * </ol>
 * {@link #resolve} refuses, naming every problem at once with its source and fix, a missing
 * {@code bootstrap.servers}, an unreadable file, and a key no Kafka client knows (a typo would otherwise be ignored
 * by the clients with a log warning, and a secured cluster would answer with a confusing disconnect).
 *
 * @param settings the merged client settings (plain Kafka client keys), bootstrap.servers included
 */
public record KafkaClientConfig(Map<String, String> settings) {

    /** Environment variables of client settings: {@code SEQCAST_KAFKA_SASL_MECHANISM} is {@code sasl.mechanism}. */
    public static final String ENVIRONMENT_PREFIX = "SEQCAST_KAFKA_";

    /** Environment variable of the cluster (as for {@code run}). */
    public static final String BOOTSTRAP_ENVIRONMENT = "SEQCAST_BOOTSTRAP_SERVERS";

    /** Every key some Kafka client (admin, producer, consumer) or Kafka Streams declares. */
    static final Set<String> KNOWN_KEYS = knownKeys();

    public KafkaClientConfig {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Merges the sources (see the class comment) and validates them.
     *
     * @param environment the process environment ({@code System.getenv()})
     * @param commandConfig client properties file, or null
     * @param overrides {@code -D} settings, with or without the {@code kafka.} prefix
     * @param bootstrapServers {@code --bootstrap-servers}, or null
     * @throws InvalidConfigurationException naming every problem
     */
    public static KafkaClientConfig resolve(
            Map<String, String> environment,
            Path commandConfig,
            Map<String, String> overrides,
            String bootstrapServers) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        add(merged, origin, fromEnvironment(environment), "environment");
        if (commandConfig != null) {
            try {
                add(merged, origin, readFile(commandConfig), commandConfig.toString());
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        Map<String, String> cli = new LinkedHashMap<>();
        overrides.forEach((k, v) -> cli.put(withoutPrefix(k), v));
        if (bootstrapServers != null) {
            cli.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        add(merged, origin, cli, "command line");
        merged.forEach((key, value) -> {
            if (!KNOWN_KEYS.contains(key)) {
                problems.add(new ConfigProblem(
                        origin.get(key),
                        key,
                        "no Kafka client knows this setting.",
                        "check its spelling against https://kafka.apache.org/documentation/#producerconfigs and"
                                + " #consumerconfigs (plain client keys, such as security.protocol)"));
            }
        });
        String servers = merged.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.isBlank()) {
            problems.add(new ConfigProblem(
                    "command line",
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    "no Kafka cluster given.",
                    "give --bootstrap-servers HOST:PORT, bootstrap.servers in the" + " --command-config file, or "
                            + BOOTSTRAP_ENVIRONMENT));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new KafkaClientConfig(merged);
    }

    /**
     * Client settings of the environment: {@code SEQCAST_BOOTSTRAP_SERVERS} and every {@code SEQCAST_KAFKA_*}
     * variable, lower-cased with dots for underscores.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        String servers = environment.get(BOOTSTRAP_ENVIRONMENT);
        if (servers != null && !servers.isBlank()) {
            out.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        }
        new TreeSet<>(environment.keySet()).forEach(k -> {
            if (k.startsWith(ENVIRONMENT_PREFIX) && k.length() > ENVIRONMENT_PREFIX.length()) {
                out.put(
                        k.substring(ENVIRONMENT_PREFIX.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'),
                        environment.get(k));
            }
        });
        return out;
    }

    /**
     * Reads a client properties file (Java properties syntax, plain client keys; a {@code kafka.} prefix is dropped).
     *
     * @throws InvalidConfigurationException when the file cannot be read
     */
    public static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of(new ConfigProblem(
                    file.toString(),
                    "--command-config",
                    "cannot read the client properties file: " + e,
                    "give a readable Java properties file of Kafka"
                            + " client settings (security.protocol=SASL_SSL, ...)")));
        }
        Map<String, String> out = new LinkedHashMap<>();
        new TreeSet<>(p.stringPropertyNames())
                .forEach(k -> out.put(withoutPrefix(k), p.getProperty(k).trim()));
        return out;
    }

    /** A copy of the settings as the Kafka clients take them. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(settings);
        return p;
    }

    public String bootstrapServers() {
        return settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    private static String withoutPrefix(String key) {
        return key.startsWith(EngineConfig.PASS_THROUGH_PREFIX)
                ? key.substring(EngineConfig.PASS_THROUGH_PREFIX.length())
                : key;
    }

    private static void add(
            Map<String, String> merged, Map<String, String> origin, Map<String, String> source, String name) {
        source.forEach((k, v) -> {
            merged.put(k, v);
            origin.put(k, name);
        });
    }

    private static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        keys.addAll(AdminClientConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(StreamsConfig.configDef().names());
        return Collections.unmodifiableSet(keys);
    }

    @Override
    public String toString() {
        // secrets (sasl.jaas.config, ssl.*.password) are never shown
        return "KafkaClientConfig[bootstrap.servers=" + bootstrapServers() + ", keys="
                + new TreeSet<>(settings.keySet()) + "]";
    }
}
