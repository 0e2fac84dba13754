package io.seqcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Kafka client of seqcast is configured one way: environment, then file, then -D, then --bootstrap-servers. */
class KafkaClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldLetTheFileWinOverTheEnvironmentAndTheCommandLineOverBoth() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                # as for kafka-console-producer.sh --producer.config
                bootstrap.servers=file:9093
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                kafka.ssl.truststore.location=/etc/truststore.p12
                """);
        Map<String, String> env = Map.of(
                "SEQCAST_BOOTSTRAP_SERVERS", "env:9092",
                "SEQCAST_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "SEQCAST_KAFKA_CLIENT_ID", "from-env",
                "PATH", "/usr/bin");
        Properties p = KafkaClientConfig.resolve(env, file, Map.of("kafka.sasl.mechanism", "PLAIN", "acks", "1"), null)
                .properties();
        assertEquals("file:9093", p.get("bootstrap.servers"), "the file over the environment");
        assertEquals("SASL_SSL", p.get("security.protocol"), "the file over the environment");
        assertEquals("from-env", p.get("client.id"), "the environment where nothing else says");
        assertEquals("/etc/truststore.p12", p.get("ssl.truststore.location"), "a kafka. prefix is dropped");
        assertEquals("PLAIN", p.get("sasl.mechanism"), "-D over the file, its kafka. prefix dropped");
        assertEquals("1", p.get("acks"));
        assertFalse(p.containsKey("path"), "only SEQCAST_ variables are read");
        assertEquals(
                "cli:9092",
                KafkaClientConfig.resolve(env, file, Map.of(), "cli:9092").bootstrapServers(),
                "--bootstrap-servers over everything");
    }

    @Test
    void shouldRefuseAMissingClusterATypoAndAnUnreadableFileAtOnce() {
        var e = assertThrows(
                InvalidConfigurationException.class,
                () -> KafkaClientConfig.resolve(
                        Map.of("SEQCAST_KAFKA_SECURTY_PROTOCOL", "SASL_SSL"),
                        dir.resolve("missing.properties"),
                        Map.of(),
                        null));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(
                e.getMessage().contains("environment: securty.protocol: no Kafka client knows this setting"),
                e.getMessage());
        assertTrue(e.getMessage().contains("missing.properties: --command-config: cannot read"), e.getMessage());
        assertTrue(
                e.getMessage().contains("bootstrap.servers: no Kafka cluster given")
                        && e.getMessage().contains("--bootstrap-servers"),
                e.getMessage());
    }

    @Test
    void shouldNotShowSecretsWhenPrinted() {
        var config = KafkaClientConfig.resolve(
                Map.of(), null, Map.of("sasl.jaas.config", "... password=\"hunter2\";"), "b:9092");
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }
}
