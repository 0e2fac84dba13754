package io.seqcast.cli;

import io.seqcast.config.InvalidConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code seqcast} executable: one small class per verb; errors become one sentence and an exit code here. */
@Command(
        name = "seqcast",
        mixinStandardHelpOptions = true,
        versionProvider = SeqcastCommand.Version.class,
        description = "Streaming time-series forecasting and anomaly alerts with recurrent networks on Kafka Streams.",
        subcommands = {
            DemoCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            TailCommand.class,
            TopologyCommand.class,
            DocsCommand.class,
            ModelsCommand.class,
            TrainerCommand.class,
            BenchCommand.class,
            BrokerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SeqcastCommand implements Runnable {

    /** Exit code of a refused configuration. */
    public static final int CONFIG_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with seqcast's error handling, for tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SeqcastCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InvalidConfigurationException) {
                commandLine.getErr().println("seqcast: refusing to start: " + e.getMessage());
                return CONFIG_ERROR;
            }
            commandLine.getErr().println("seqcast: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(SeqcastCommand.class).debug("Command failed", e);
            return 1;
        });
        return cli;
    }

    /** The release, from {@code io/seqcast/seqcast-version.properties} (filtered by Maven with the project version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            return new String[] {"seqcast " + version()};
        }

        static String version() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (var in = SeqcastCommand.class.getResourceAsStream("/io/seqcast/seqcast-version.properties")) {
                if (in == null) {
                    throw new java.io.IOException("io/seqcast/seqcast-version.properties is not on the classpath");
                }
                p.load(in);
            }
            return p.getProperty("version");
        }
    }
}
