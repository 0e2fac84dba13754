package io.seqcast.cli;

import io.seqcast.app.Engine;
import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.demo.DemoFeeds;
import io.seqcast.demo.LiveView;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.replay.Replayer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqcast demo}: a real Kafka broker in this process, the bundled pipelines and models, bundled real data
 * replayed into the input topics, and a live view of forecasts and alerts, until Ctrl-C.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start an embedded Kafka broker, run the bundled pipelines on bundled real data (NAB, stock"
                + " prices) replayed at an accelerated rate, and print forecasts and alerts live until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "Directory holding topology/, models/ and data/ (default: the seqcast.home property, or"
                    + " the current directory).")
    Path home = Path.of(System.getProperty("seqcast.home", "."));

    @Option(names = "--rate", description = "Observations per second, all series together (default: 400).")
    double rate = 400;

    @Option(
            names = "--duration",
            description = "Stop by itself after this long (ISO-8601 or like 90s, 5m); default:" + " run until Ctrl-C.")
    String duration;

    @Option(names = "--http-port", description = "HTTP port for /metrics, health and the live page (default: 8080).")
    int httpPort = 8080;

    @Option(names = "--view-interval", description = "Seconds between live table refreshes (default: 3).")
    int viewInterval = 3;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path topology = home.resolve("topology");
        if (!Files.isDirectory(topology)) {
            throw new IllegalStateException("no topology/ directory under " + home.toAbsolutePath()
                    + "; run the demo from the repository root (./seqcast demo) or pass --home");
        }
        List<PipelineConfig> pipelines = PipelineFiles.load(topology);
        var models = ModelCatalog.load(pipelines);
        List<Replayer.Feed> feeds = DemoFeeds.load(home, pipelines);
        // under the seqcast home rather than the OS temp directory, which the OS may clear; removed on exit
        Path stateDir = Files.createDirectories(home.resolve("state"))
                .resolve("demo-" + ProcessHandle.current().pid());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    try {
                        closed.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "seqcast-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.println("seqcast demo: starting an embedded Kafka broker (KRaft) on 127.0.0.1 ...");
        out.flush();
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().defaultPartitions(4).start()) {
            EngineConfig config = EngineConfig.from(Map.of(
                    "demo",
                    Map.of(
                            "bootstrap.servers", broker.bootstrapServers(),
                            "application.id", "seqcast-demo",
                            "state.dir", stateDir.toString(),
                            "topics.create", "true",
                            "http.port", Integer.toString(httpPort))));
            try (Engine engine = Engine.start(config, pipelines, models);
                    Replayer replayer = new Replayer(config.clientProperties());
                    LiveView view = LiveView.start(config.clientProperties(), pipelines, out, viewInterval)) {
                engine.awaitRunning(Duration.ofSeconds(60));
                out.printf(
                        "seqcast demo: broker %s, %d pipelines %s, %d series, replaying %s obs/s;"
                                + " metrics http://127.0.0.1:%d/metrics. Ctrl-C stops.%n",
                        broker.bootstrapServers(),
                        pipelines.size(),
                        pipelines.stream().map(PipelineConfig::name).toList(),
                        feeds.size(),
                        (long) rate,
                        engine.httpPort());
                out.flush();
                Thread producer = new Thread(
                        () -> {
                            try {
                                long sent = replayer.replay(feeds, rate);
                                if (!replayer.stopped()) {
                                    out.println("seqcast demo: all " + sent
                                            + " bundled observations replayed; still serving" + " until Ctrl-C.");
                                    out.flush();
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "seqcast-demo-replay");
                producer.setDaemon(true);
                producer.start();
                if (duration != null) {
                    stop.await(parse(duration).toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    stop.await();
                }
                out.println("seqcast demo: stopping ...");
                out.flush();
                replayer.stop();
                producer.join(10_000);
                view.printSummary(engine.metrics());
            }
        } finally {
            deleteRecursively(stateDir);
            closed.countDown();
            if (duration != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
            }
        }
        out.println("seqcast demo: stopped; nothing left running.");
        out.flush();
        return 0;
    }

    static Duration parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
        }
        long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        return switch (t.replaceAll("^[0-9]+", "")) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("duration '" + text + "' is not like 90s, 5m or PT1M");
        };
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(DemoCommand.class).warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
