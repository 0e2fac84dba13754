package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.seqcast.app.Engine;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.EventJson;
import io.seqcast.it.EmbeddedKafkaBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Kafka client security settings pass through to every client of the engine, from configuration or environment,
 * and secrets show neither in the log nor on {@code /metrics}.
 */
@Timeout(180)
class SecuritySettingsTest {

    static final String PASSWORD = "s3cret-" + UUID.randomUUID();

    @TempDir
    Path dir;

    @Test
    void shouldPassEverySecuritySettingFromTheEnvironmentToTheClients() {
        Map<String, String> env = Map.of(
                "SEQCAST_BOOTSTRAP_SERVERS", "broker:9093",
                "SEQCAST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "SEQCAST_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "SEQCAST_KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"app\" password=\"" + PASSWORD + "\";",
                "SEQCAST_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/seqcast/truststore.p12",
                "SEQCAST_KAFKA_SSL_TRUSTSTORE_PASSWORD", PASSWORD,
                "SEQCAST_KAFKA_SSL_KEYSTORE_LOCATION", "/etc/seqcast/keystore.p12",
                "SEQCAST_KAFKA_SSL_KEYSTORE_PASSWORD", PASSWORD,
                "SEQCAST_KAFKA_SSL_KEY_PASSWORD", PASSWORD,
                "SEQCAST_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https");
        EngineConfig config = EngineConfig.from(Map.of("environment", EngineConfig.fromEnvironment(env)));
        for (Properties p : List.of(config.clientProperties(), config.streamsProperties())) {
            assertEquals("SASL_SSL", p.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
            assertTrue(((String) p.get("sasl.jaas.config")).contains(PASSWORD));
            assertEquals("/etc/seqcast/truststore.p12", p.get("ssl.truststore.location"));
            assertEquals("/etc/seqcast/keystore.p12", p.get("ssl.keystore.location"), "mutual TLS: client keystore");
            assertEquals(PASSWORD, p.get("ssl.keystore.password"));
            assertEquals(PASSWORD, p.get("ssl.key.password"));
            assertEquals("https", p.get("ssl.endpoint.identification.algorithm"));
        }
    }

    @Test
    void shouldRunAgainstAScramBrokerWithoutShowingThePassword() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(logging);
        captured.start();
        Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger kafka = logging.getLogger("org.apache.kafka");
        Level kafkaLevel = kafka.getLevel();
        kafka.setLevel(Level.INFO); // client config dumps are at INFO: they must mask the secret too
        root.addAppender(captured);
        Scenario scenario = new Scenario("sasl-" + UUID.randomUUID().toString().substring(0, 8), 2, 40);
        PipelineConfig p = scenario.pipeline();
        try (EmbeddedKafkaBackend backend = EmbeddedKafkaBackend.scram("seqcast-app", PASSWORD)) {
            backend.createTopics(
                    TopicSpec.of(p.input().topic(), 2),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", backend.bootstrapServers());
            settings.put("application.id", "sasl-" + UUID.randomUUID());
            settings.put("state.dir", dir.resolve("state").toString());
            settings.put("http.port", "0");
            backend.clientProperties().forEach((k, v) -> settings.put("kafka." + k, v.toString()));
            assertEquals("SASL_PLAINTEXT", settings.get("kafka.security.protocol"));
            try (Engine engine =
                    Engine.start(EngineConfig.from(Map.of("test", settings)), List.of(p), x -> Scenario.model())) {
                assertTrue(engine.awaitRunning(Duration.ofSeconds(60)));
                try (var producer = new KafkaProducer<>(
                        backend.connectionProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < scenario.length(); i++) {
                        for (int s = 0; s < scenario.series(); s++) {
                            producer.send(new ProducerRecord<>(
                                    p.input().topic(), Scenario.key(s), Scenario.observation(s, i)));
                        }
                    }
                }
                Map<String, Object> connection = backend.connectionProperties();
                var forecasts = Topics.read(
                        connection,
                        p.output().forecasts(),
                        "read_committed",
                        scenario.records(),
                        Duration.ofSeconds(60),
                        Duration.ZERO);
                assertEquals(scenario.records(), forecasts.size(), "forecasts over SASL/SCRAM");
                assertEquals(
                        scenario.reference(dir.resolve("reference")).forecasts(),
                        Scenario.bySeries(
                                forecasts.stream()
                                        .map(r -> EventJson.decodeForecast(r.value()))
                                        .toList(),
                                io.seqcast.event.Forecast::series));
                String metrics = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertTrue(metrics.contains("seqcast_forecasts_total"), "the metrics page is served");
                assertFalse(metrics.contains(PASSWORD), "no secret on /metrics");
            }
        } finally {
            root.detachAppender(captured);
            kafka.setLevel(kafkaLevel);
        }
        List<String> lines =
                captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("sasl.jaas.config")),
                "the client config dumps were captured (else this test proves nothing)");
        assertFalse(lines.stream().anyMatch(l -> l.contains(PASSWORD)), "no secret in the log");
    }
}
