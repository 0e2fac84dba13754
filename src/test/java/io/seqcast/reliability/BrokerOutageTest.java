package io.seqcast.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.app.Engine;
import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness follows what the engine can do: {@code /health/ready} turns 503, with the reason in the body, while the
 * broker is down (Kafka Streams itself stays RUNNING), and 200 again once it is back and records flow.
 */
class BrokerOutageTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> ready(Engine engine) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort() + "/health/ready"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> awaitReady(Engine engine, Predicate<HttpResponse<String>> until, Duration timeout)
            throws Exception {
        // the last answer whatever it is: the caller's assertion names what readiness said
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                last.set(ready(engine));
                return until.test(last.get());
            });
        } catch (ConditionTimeoutException e) {
            // fall through to the caller's assertion on the last answer
        }
        return last.get();
    }

    @Test
    void shouldAnswerNotReadyWithTheReasonWhileTheBrokerIsDownAndReadyAfter() throws Exception {
        PipelineConfig p = new Scenario("outage-" + UUID.randomUUID().toString().substring(0, 8), 1, 4).pipeline();
        Path data = dir.resolve("broker");
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDirectory(data).start();
        int port = broker.port();
        String bootstrap = broker.bootstrapServers();
        try {
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 1),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", bootstrap);
            settings.put("application.id", "outage-" + UUID.randomUUID());
            settings.put("state.dir", dir.resolve("state").toString());
            settings.put("http.port", "0");
            settings.put("health.broker.timeout.ms", "3000");
            try (Engine engine =
                    Engine.start(EngineConfig.from(Map.of("test", settings)), List.of(p), x -> Scenario.model())) {
                assertTrue(engine.awaitRunning(Duration.ofSeconds(60)));
                assertEquals(
                        200,
                        awaitReady(engine, r -> r.statusCode() == 200, Duration.ofSeconds(30))
                                .statusCode());
                produce(bootstrap, p, 0);

                broker.close();
                HttpResponse<String> down = awaitReady(engine, r -> r.statusCode() == 503, Duration.ofSeconds(60));
                assertEquals(503, down.statusCode(), down.body());
                assertTrue(down.body().contains("Kafka cluster unreachable for"), down.body());
                System.out.println("broker down: " + down.body());

                broker = EmbeddedKafkaBroker.builder()
                        .dataDirectory(data)
                        .port(port)
                        .start();
                HttpResponse<String> up = awaitReady(engine, r -> r.statusCode() == 200, Duration.ofSeconds(120));
                assertEquals(200, up.statusCode(), up.body());
                produce(bootstrap, p, 1);
                var forecasts = Topics.readCommitted(bootstrap, p.output().forecasts(), 2, Duration.ofSeconds(60));
                assertEquals(2, forecasts.size(), "the record sent after the outage is processed");
            }
        } finally {
            broker.close();
        }
    }

    private static void produce(String bootstrap, PipelineConfig p, int step) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(p.input().topic(), Scenario.key(0), Scenario.observation(0, step)))
                    .get();
        }
    }
}
