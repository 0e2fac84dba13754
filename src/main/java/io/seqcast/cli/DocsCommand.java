package io.seqcast.cli;

import io.seqcast.config.EngineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code seqcast docs}: the configuration tables of the README, generated from the key declarations. */
@Command(
        name = "docs",
        mixinStandardHelpOptions = true,
        description = "Print the README's configuration tables (engine keys, pipeline keys) in Markdown, generated"
                + " from the key declarations.")
final class DocsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The generated section, exactly as the README holds it between its markers. */
    static String configurationSection() {
        return "### Engine settings\n\n"
                + "Properties file (`--config`), `SEQCAST_*` environment variables (`SEQCAST_BOOTSTRAP_SERVERS`), or"
                + " `-D key=value`; keys starting with `kafka.` pass through to the Kafka clients.\n\n"
                + Settings.markdownTable(EngineConfig.DEFINITION)
                + "\n### Pipeline keys (`topology/*.yaml`)\n\n"
                + Settings.markdownTable(PipelineFiles.DEFINITION);
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(configurationSection());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
