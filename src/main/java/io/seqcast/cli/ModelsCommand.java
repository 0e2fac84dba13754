package io.seqcast.cli;

import io.seqcast.registry.ModelPointer;
import io.seqcast.registry.ModelPublisher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code seqcast models}: publish a model version to every running engine, roll back, or list what is served. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Publish model versions to the models topic (every engine instance switches without a"
                + " restart), roll a pipeline back, or list the served versions.")
final class ModelsCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--topic", description = "Models topic (default: seqcast.models).", scope =
            picocli.CommandLine.ScopeType.INHERIT)
    String topic = "seqcast.models";

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish a model artifact as the version a pipeline serves.")
    int publish(@Option(names = "--pipeline", required = true) String pipeline,
            @Parameters(paramLabel = "FILE", description = "Model artifact (seqcast train --out).") Path artifact)
            throws Exception {
        try (ModelPublisher publisher = new ModelPublisher(client(), topic)) {
            ModelPointer p = publisher.publish(pipeline, artifact);
            out().println("pipeline " + pipeline + " now serves version " + p.active() + " (before: "
                    + (p.history().isEmpty() ? "the pipeline file's model" : p.history().get(p.history().size() - 1))
                    + ")");
        }
        return 0;
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point a pipeline back at the version it served before the current one.")
    int rollback(@Option(names = "--pipeline", required = true) String pipeline) {
        try (ModelPublisher publisher = new ModelPublisher(client(), topic)) {
            out().println("pipeline " + pipeline + " now serves version " + publisher.rollback(pipeline).active());
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The version each pipeline serves.")
    int list() {
        try (ModelPublisher publisher = new ModelPublisher(client(), topic)) {
            publisher.pointers().forEach((pipeline, p) ->
                    out().println(pipeline + ": serves " + p.active() + ", before: " + p.history()));
        }
        return 0;
    }

    private Properties client() {
        return kafka.properties();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
