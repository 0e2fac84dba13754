package io.seqcast.cli;

import io.seqcast.app.Engine;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.registry.ModelCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code seqcast run}: the engine against an existing Kafka cluster, until stopped (exit 0 on SIGTERM) or until
 * Kafka Streams fails for good (exit {@link #ENGINE_FAILED}), so that systemd, compose and Kubernetes restart
 * policies fire.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the pipelines against an existing Kafka cluster until stopped (Ctrl-C / SIGTERM). Exits"
                + " with status 3 when Kafka Streams fails for good (a stream thread died: state ERROR).")
final class RunCommand implements Callable<Integer> {

    /** Exit status when Kafka Streams reached ERROR (a stream thread died and the instance shut down). */
    static final int ENGINE_FAILED = 3;

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    EngineOptions options;

    @Override
    public Integer call() throws Exception {
        EngineConfig config = options.toConfig(Map.of());
        List<PipelineConfig> pipelines = PipelineFiles.load(config.pipelines());
        var models = ModelCatalog.load(pipelines);
        CountDownLatch stopped = new CountDownLatch(1);
        Engine engine = Engine.start(config, pipelines, models);
        Thread hook = new Thread(
                () -> {
                    engine.close();
                    stopped.countDown();
                },
                "seqcast-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!failedBeforeStopped(engine::state, stopped, Duration.ofMillis(500))) {
            return 0;
        }
        log.error(
                "Kafka Streams is ERROR: stopping with exit status {} so that the supervisor restarts this instance",
                ENGINE_FAILED);
        Runtime.getRuntime().removeShutdownHook(hook);
        engine.close();
        return ENGINE_FAILED;
    }

    /**
     * Waits until {@code stopped} is released (a clean stop: false) or the engine's state is {@code ERROR} (true),
     * looking every {@code every}.
     */
    static boolean failedBeforeStopped(Supplier<KafkaStreams.State> state, CountDownLatch stopped, Duration every)
            throws InterruptedException {
        while (!stopped.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
            if (state.get() == KafkaStreams.State.ERROR) {
                return true;
            }
        }
        return false;
    }
}
