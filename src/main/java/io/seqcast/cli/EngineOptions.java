package io.seqcast.cli;

import io.seqcast.config.EngineConfig;
import io.seqcast.config.KafkaClientConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Command-line options shared by the commands that run the engine. */
final class EngineOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of engine settings.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka cluster.")
    String bootstrapServers;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Kafka client properties file, as Kafka's own tools take it (security.protocol, sasl.*,"
                    + " ssl.*): each key as kafka.<key>; over the environment, under -D.")
    Path commandConfig;

    @Option(
            names = "--pipelines",
            paramLabel = "PATH",
            description = "Pipeline file or directory of pipeline files (default: topology).")
    String pipelines;

    @Option(names = "--application-id", description = "Kafka Streams application id (default: seqcast).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state directory (default: state).")
    String stateDir;

    @Option(names = "--http-port", description = "HTTP port for /metrics and health (default: 8080; 0 = any free).")
    Integer httpPort;

    @Option(
            names = "--group-instance-id",
            paramLabel = "NAME",
            description = "Static membership: a name unique to this instance, kept across restarts, so that a"
                    + " restarted instance takes its partitions back at once instead of after the session timeout.")
    String groupInstanceId;

    @Option(names = "--create-topics", description = "Create missing input and output topics.")
    Boolean createTopics;

    @Option(
            names = {"-D", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Any engine setting, or kafka.<client setting> passed to the Kafka clients.")
    Map<String, String> settings = new LinkedHashMap<>();

    /**
     * Defaults, then the file, then SEQCAST_* environment variables, then the --command-config client properties,
     * then the command line.
     */
    EngineConfig toConfig(Map<String, String> overrides) throws IOException {
        Map<String, Map<String, String>> sources = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(configFile)) {
                p.load(r);
            }
            Map<String, String> file = new HashMap<>();
            p.forEach((k, v) -> file.put(k.toString(), v.toString()));
            sources.put(configFile.toString(), file);
        }
        sources.put("environment", EngineConfig.fromEnvironment(System.getenv()));
        if (commandConfig != null) {
            Map<String, String> client = new HashMap<>();
            KafkaClientConfig.readFile(commandConfig)
                    .forEach((k, v) ->
                            client.put(k.equals("bootstrap.servers") ? k : EngineConfig.PASS_THROUGH_PREFIX + k, v));
            sources.put(commandConfig.toString(), client);
        }
        Map<String, String> cli = new HashMap<>(settings);
        put(cli, "bootstrap.servers", bootstrapServers);
        put(cli, "pipelines", pipelines);
        put(cli, "application.id", applicationId);
        put(cli, "state.dir", stateDir);
        put(cli, "http.port", httpPort);
        put(cli, "topics.create", createTopics);
        put(cli, "group.instance.id", groupInstanceId);
        cli.putAll(overrides);
        sources.put("command line", cli);
        return EngineConfig.from(sources);
    }

    private static void put(Map<String, String> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }
}
