package io.seqcast.cli;

import io.seqcast.config.KafkaClientConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The Kafka connection options of every command that is a Kafka client ({@code replay}, {@code tail},
 * {@code models}, {@code train --from-topic}; {@code run} takes the same through {@link EngineOptions}):
 * {@code --bootstrap-servers}, {@code --command-config FILE} and {@code -D key=value}, over the
 * {@code SEQCAST_KAFKA_*} environment. Use it as a picocli {@code @Mixin} and build clients from
 * {@link #properties()}; precedence and validation are those of {@link KafkaClientConfig}.
 */
public final class KafkaClientOptions {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            scope = ScopeType.INHERIT,
            description = "Kafka cluster (else bootstrap.servers of --command-config, or SEQCAST_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "Kafka client properties file, as Kafka's own tools take it (security.protocol, sasl.*,"
                    + " ssl.*); over the SEQCAST_KAFKA_* environment.")
    Path commandConfig;

    @Option(
            names = {"-D", "--client-property"},
            paramLabel = "KEY=VALUE",
            scope = ScopeType.INHERIT,
            description = "A Kafka client setting (a kafka. prefix is optional); wins over --command-config.")
    Map<String, String> clientSettings = new LinkedHashMap<>();

    /** The merged, validated client settings; throws {@code InvalidConfigurationException} naming every problem. */
    public KafkaClientConfig config() {
        return KafkaClientConfig.resolve(System.getenv(), commandConfig, clientSettings, bootstrapServers);
    }

    /** {@link #config()} as the Kafka clients take it. */
    public Properties properties() {
        return config().properties();
    }
}
