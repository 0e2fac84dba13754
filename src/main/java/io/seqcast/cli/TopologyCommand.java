package io.seqcast.cli;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.topology.TopologyFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seqcast topology}: print (or write) the Kafka Streams topology of each pipeline. */
@Command(
        name = "topology",
        mixinStandardHelpOptions = true,
        description = "Print the Kafka Streams topology of each pipeline; with --write, update the"
                + " <pipeline>.topology.txt files beside the pipeline files (a test fails when they drift).")
final class TopologyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pipelines", paramLabel = "PATH", description = "Pipeline file or directory (default: topology).")
    Path pipelines = Path.of("topology");

    @Option(names = "--write", description = "Write the descriptions beside the pipeline files.")
    boolean write;

    @Override
    public Integer call() throws Exception {
        for (PipelineConfig p : PipelineFiles.load(pipelines)) {
            String description = TopologyFactory.describe(p);
            if (write) {
                Path file = TopologyFactory.descriptionFile(p);
                Files.writeString(file, description);
                spec.commandLine().getOut().println("wrote " + file);
            } else {
                spec.commandLine().getOut().println("# pipeline " + p.name() + " (" + p.source() + ")");
                spec.commandLine().getOut().println(description);
            }
        }
        return 0;
    }
}
