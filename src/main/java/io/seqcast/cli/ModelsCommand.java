package io.seqcast.cli;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.registry.ModelPointer;
import io.seqcast.registry.ModelPublisher;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seqcast models}: publish a model version to every running engine, roll back, or list what is served. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Publish model versions to the models topic (every engine instance switches without a"
                + " restart), roll a pipeline back, or list the served versions.")
final class ModelsCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(
            names = "--topic",
            description = "Models topic (default: seqcast.models).",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    String topic = "seqcast.models";

    @Option(
            names = "--pipelines",
            paramLabel = "PATH",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Pipeline file or directory holding the pipeline, to check that a model fits it (default:"
                    + " topology).")
    Path pipelines = Path.of("topology");

    @Option(
            names = "--engine",
            paramLabel = "URL",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "An engine's HTTP endpoint (http://host:8080): after publishing or rolling back, report the"
                    + " version it serves, read from its seqcast_model_served metric (waits up to 30 s).")
    String engine;

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = "Publish a model artifact as the version a pipeline serves; refused when it does not fit the"
                    + " pipeline (shape, input features, horizon, window).")
    int publish(
            @Option(names = "--pipeline", required = true) String pipeline,
            @Parameters(paramLabel = "FILE", description = "Model artifact (seqcast train --out).") Path artifact)
            throws Exception {
        PipelineConfig config = pipeline(pipeline);
        try (ModelPublisher publisher = new ModelPublisher(client(), topic)) {
            ModelPointer p = publisher.publish(pipeline, Files.readAllBytes(artifact), config);
            out().println("pipeline " + pipeline + " points at version " + p.active() + " (before: "
                    + (p.history().isEmpty()
                            ? "the pipeline file's model"
                            : p.history().get(p.history().size() - 1))
                    + ")");
            reportServed(pipeline, p.active());
        }
        return 0;
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Point a pipeline back at the most recent earlier version the engine would serve (intact,"
                    + " still in the topic, fitting the pipeline); versions passed over leave the history.")
    int rollback(@Option(names = "--pipeline", required = true) String pipeline) throws Exception {
        PipelineConfig config = pipeline(pipeline);
        try (ModelPublisher publisher = new ModelPublisher(client(), topic)) {
            ModelPublisher.Rollback r = publisher.rollback(pipeline, config);
            r.skipped().forEach(s -> out().println("passed over version " + s));
            out().println("pipeline " + pipeline + " points at version "
                    + r.pointer().active());
            reportServed(pipeline, r.pointer().active());
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The version each pipeline serves.")
    int list() {
        try (ModelPublisher publisher = new ModelPublisher(client(), topic)) {
            publisher
                    .pointers()
                    .forEach((pipeline, p) ->
                            out().println(pipeline + ": serves " + p.active() + ", before: " + p.history()));
        }
        return 0;
    }

    /** The pipeline's configuration from --pipelines; refuses when it is not there. */
    private PipelineConfig pipeline(String name) {
        return PipelineFiles.load(pipelines).stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pipeline " + name + " is not in " + pipelines
                        + "; give --pipelines the pipeline's file or directory, so that the model is checked against"
                        + " it"));
    }

    /** With --engine: waits for the engine's served-version metric to show {@code version}, and says what it shows. */
    private void reportServed(String pipeline, String version) throws Exception {
        if (engine == null) {
            return;
        }
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create(engine.replaceAll("/+$", "") + "/metrics");
        Pattern served = Pattern.compile("(?m)^seqcast_model_served\\{([^}]*)\\}");
        String serving = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            String body = http.send(
                            HttpRequest.newBuilder(metrics)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher m = served.matcher(body);
            while (m.find()) {
                if (m.group(1).contains("pipeline=\"" + pipeline + "\"")) {
                    Matcher v = Pattern.compile("version=\"([^\"]*)\"").matcher(m.group(1));
                    serving = v.find() ? v.group(1) : null;
                }
            }
            if (version.equals(serving)) {
                out().println("engine " + engine + " serves version " + serving);
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        out().println("engine " + engine + " still serves version " + serving + " after 30 s: it refused version "
                + version + " or has not read it (see seqcast_model_refused_total and the engine's log)");
    }

    private Properties client() {
        return kafka.properties();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
