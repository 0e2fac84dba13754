package io.seqcast.cli;

import io.seqcast.app.Engine;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code seqcast run}: the engine against an existing Kafka cluster, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the pipelines against an existing Kafka cluster until stopped (Ctrl-C / SIGTERM).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    EngineOptions options;

    @Override
    public Integer call() throws Exception {
        EngineConfig config = options.toConfig(Map.of());
        List<PipelineConfig> pipelines = PipelineFiles.load(config.pipelines());
        var models = ModelCatalog.load(pipelines);
        CountDownLatch stopped = new CountDownLatch(1);
        Engine engine = Engine.start(config, pipelines, models);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            stopped.countDown();
        }, "seqcast-shutdown"));
        stopped.await();
        return 0;
    }
}
