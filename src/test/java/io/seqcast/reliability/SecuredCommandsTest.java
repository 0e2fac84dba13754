package io.seqcast.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.broker.TopicSpec;
import io.seqcast.cli.SeqcastCommand;
import io.seqcast.it.EmbeddedKafkaBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that is a Kafka client reaches a SASL/SCRAM cluster configured the one way seqcast has
 * ({@code --command-config FILE}, {@code -D key=value}, {@code SEQCAST_KAFKA_*}); {@code run} exits non-zero when its
 * stream thread dies; {@code replay} fails with the cluster's error when its records are not delivered.
 */
@Timeout(300)
class SecuredCommandsTest {

    static final String USER = "seqcast-ops";
    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static final String TOPIC = "secured.obs";

    static EmbeddedKafkaBackend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        backend = EmbeddedKafkaBackend.scram(USER, PASSWORD);
        backend.createTopics(
                TopicSpec.of(TOPIC, 2),
                TopicSpec.of("secured.forecasts", 1),
                TopicSpec.of("secured.alerts", 1),
                TopicSpec.of("secured.dead-letter", 1),
                TopicSpec.of("secured.models", 1)
                        .withConfig("cleanup.policy", "compact")
                        .withConfig("max.message.bytes", Integer.toString(16 * 1024 * 1024)));
    }

    @AfterAll
    static void stopBroker() {
        if (backend != null) {
            backend.close();
        }
    }

    /** The client settings of the SCRAM user, as a --command-config file (Kafka tools' convention). */
    Path commandConfig(String password) throws IOException {
        StringBuilder text = new StringBuilder("# SASL/SCRAM client, as for kafka-console-producer.sh\n");
        text.append("bootstrap.servers=").append(backend.bootstrapServers()).append('\n');
        backend.clientProperties()
                .forEach((k, v) -> text.append(k)
                        .append('=')
                        .append(k.equals("sasl.jaas.config") ? v.toString().replace(PASSWORD, password) : v)
                        .append('\n'));
        Path file = dir.resolve("client-" + UUID.randomUUID() + ".properties");
        Files.writeString(file, text.toString().replace("\\", "\\\\"));
        return file;
    }

    /** The same settings as -D key=value arguments. */
    static List<String> dashD() {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", backend.bootstrapServers()));
        backend.clientProperties().forEach((k, v) -> args.addAll(List.of("-D", "kafka." + k + "=" + v)));
        return args;
    }

    record Result(int exit, String out, String err) {}

    static Result seqcast(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SeqcastCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    Path csv(String series) throws IOException {
        StringBuilder text = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 120; i++) {
            text.append(String.format("2024-01-01 %02d:%02d:00,%.3f%n", i / 12, (i % 12) * 5, Math.sin(i / 5.0)));
        }
        Path file = dir.resolve(series + ".csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shouldReplayTailTrainAndPublishOverScram() throws Exception {
        Path config = commandConfig(PASSWORD);
        Result replay = seqcast(List.of(
                "replay",
                "--command-config",
                config.toString(),
                "--topic",
                TOPIC,
                "--rate",
                "0",
                csv("alpha").toString(),
                csv("beta").toString()));
        assertEquals(0, replay.exit(), replay.err());
        assertTrue(replay.out().contains("sent 240 observations of 2 series"), replay.out());

        List<String> tail = new ArrayList<>(List.of("tail", "--topic", TOPIC, "--from-beginning", "--max", "240"));
        tail.addAll(dashD());
        Result tailed = seqcast(tail);
        assertEquals(0, tailed.exit(), tailed.err());
        assertEquals(240, tailed.out().lines().count(), "one line per observation read over SCRAM");

        Result train = seqcast(List.of(
                "train",
                "--from-topic",
                TOPIC,
                "--command-config",
                config.toString(),
                "--per-series",
                "--cell",
                "rnn",
                "--layers",
                "4",
                "--horizon",
                "2",
                "--epochs",
                "1",
                "--name",
                "m",
                "--out",
                dir.resolve("m.seqcast").toString()));
        assertEquals(0, train.exit(), train.err() + train.out());
        assertTrue(train.out().contains("read 2 series from " + TOPIC), train.out());

        Path pipeline = dir.resolve("secured.yaml");
        Files.writeString(
                pipeline,
                String.join(
                        "\n",
                        "name: secured",
                        "input:",
                        "  topic: " + TOPIC,
                        "sampling:",
                        "  interval: PT5M",
                        "model:",
                        "  artifact: m-alpha.seqcast",
                        "mode: stateful",
                        "forecast:",
                        "  horizon: 2",
                        ""));
        Result publish = seqcast(List.of(
                "models",
                "publish",
                "--command-config",
                config.toString(),
                "--topic",
                "secured.models",
                "--pipelines",
                pipeline.toString(),
                "--pipeline",
                "secured",
                dir.resolve("m-alpha.seqcast").toString()));
        assertEquals(0, publish.exit(), publish.err());
        List<String> list = new ArrayList<>(List.of("models", "list", "--topic", "secured.models"));
        list.addAll(dashD());
        Result listed = seqcast(list);
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().contains("secured: serves 1"), listed.out());
    }

    @Test
    void shouldFailAReplayWithTheClustersErrorWhenItRefusesTheCredentials() throws Exception {
        Result replay = seqcast(List.of(
                "replay",
                "--command-config",
                commandConfig("wrong").toString(),
                "--topic",
                TOPIC,
                "--delivery-timeout",
                "20s",
                csv("gamma").toString()));
        assertEquals(1, replay.exit(), replay.out());
        assertFalse(replay.out().contains("sent "), replay.out());
        assertTrue(
                replay.err().contains("not delivered") && replay.err().contains("Authentication failed"), replay.err());
    }

    @Test
    void shouldFailAReplayToADeadBrokerWithinItsDeliveryTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed: nothing listens there
        }
        long start = System.nanoTime();
        Result replay = seqcast(List.of(
                "replay",
                "--bootstrap-servers",
                "127.0.0.1:" + port,
                "--topic",
                TOPIC,
                "--delivery-timeout",
                "3s",
                csv("delta").toString()));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(1, replay.exit(), replay.out());
        assertTrue(
                replay.err().contains("were not delivered") && replay.err().contains("is the cluster reachable"),
                replay.err());
        assertTrue(seconds < 30, "bounded by the delivery timeout, took " + seconds + " s");
    }

    /**
     * {@code seqcast run} in its own JVM, configured from the environment only, serves over SCRAM; when its input
     * topic is deleted under it, its stream thread dies, Kafka Streams reaches ERROR and the process exits with
     * status 3 (rather than staying up with /health/live at 503).
     */
    @Test
    void shouldRunOverScramFromTheEnvironmentAndExitNonZeroWhenTheStreamThreadDies() throws Exception {
        String input = "secured.run-obs";
        backend.createTopics(TopicSpec.of(input, 1));
        Path pipeline = dir.resolve("secured.yaml");
        Files.writeString(
                pipeline,
                Files.readString(Path.of("topology/machines.yaml"))
                        .replace("seqcast.machine-metrics", input)
                        .replace("name: machines", "name: secured")
                        .replace(
                                "../models/lstm-2x32.seqcast",
                                Path.of("models/lstm-2x32.seqcast")
                                        .toAbsolutePath()
                                        .toString())
                        .replace("seqcast.forecasts", "secured.forecasts")
                        .replace("seqcast.alerts", "secured.alerts")
                        .replace("seqcast.dead-letter", "secured.dead-letter"));
        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SeqcastCommand.class.getName(),
                        "run",
                        "--pipelines",
                        pipeline.toString(),
                        "--state-dir",
                        dir.resolve("state").toString(),
                        "--http-port",
                        Integer.toString(httpPort),
                        "--application-id",
                        "secured-" + UUID.randomUUID())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("SEQCAST_BOOTSTRAP_SERVERS", backend.bootstrapServers());
        backend.clientProperties()
                .forEach((k, v) -> builder.environment()
                        .put("SEQCAST_KAFKA_" + k.toUpperCase().replace('.', '_'), v.toString()));
        builder.environment().put("SEQCAST_KAFKA_METADATA_MAX_AGE_MS", "1000");
        Process run = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI ready = URI.create("http://127.0.0.1:" + httpPort + "/health/ready");
            int[] status = {0};
            try {
                // an IOException: not listening yet
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptionsInstanceOf(IOException.class)
                        .until(() -> !run.isAlive()
                                || (status[0] = http.send(
                                                        HttpRequest.newBuilder(ready)
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding())
                                                .statusCode())
                                        == 200);
            } catch (ConditionTimeoutException e) {
                // the assertion below says so, with the log
            }
            assertEquals(200, status[0], "ready over SCRAM; log:\n" + log());

            try (Admin admin = Admin.create(backend.connectionProperties())) {
                admin.deleteTopics(List.of(input)).all().get(30, TimeUnit.SECONDS);
            }
            assertTrue(
                    run.waitFor(90, TimeUnit.SECONDS), "run still up 90 s after its input topic went; log:\n" + log());
            assertEquals(3, run.exitValue(), "exit status of a failed engine; log:\n" + log());
            assertTrue(log().contains("Kafka Streams is ERROR"), log());
        } finally {
            run.destroyForcibly().waitFor();
        }
    }

    private String log() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("run.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
