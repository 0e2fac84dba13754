package io.seqcast.bench;

import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.cli.SeqcastCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's Kafka broker: apart, in a JVM of its own ({@code seqcast broker}), as a production broker runs on
 * other machines, so that its CPU time, JIT compilation and GC pauses are not counted as, or felt by, the engine
 * measured; or inside the benchmark's own process (the embedded broker of the demo and the tests).
 */
public abstract class BenchBroker implements AutoCloseable {

    /**
     * Default JVM options of the broker apart: a fixed 1 GiB heap (as {@code kafka-server-start.sh}) and the
     * throughput collector. Kafka's own G1 settings ({@code kafka-run-class.sh}) gave a p99 10 to 18 ms higher on
     * this two-core machine, where G1's concurrent threads compete with the engine (BENCHMARKS.md).
     */
    public static final String BROKER_JAVA_OPTS = "-Xms1g -Xmx1g -XX:+UseParallelGC";

    public abstract String bootstrapServers();

    /** Where the broker runs, for the report. */
    public abstract String describe();

    /** The broker's own process when it runs apart, else empty. */
    abstract java.util.Optional<ProcessHandle> process();

    @Override
    public abstract void close() throws Exception;

    /** A broker inside this process, or apart with {@code javaOptions} (space separated). */
    public static BenchBroker start(boolean apart, int partitions, String javaOptions) throws IOException {
        return apart ? new Apart(partitions, List.of(javaOptions.trim().split("\\s+"))) : new Inside(partitions);
    }

    private static final class Inside extends BenchBroker {
        private final EmbeddedKafkaBroker broker;

        Inside(int partitions) {
            broker = EmbeddedKafkaBroker.builder().defaultPartitions(partitions).start();
        }

        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public String describe() {
            return "embedded KRaft broker in this process";
        }

        @Override
        java.util.Optional<ProcessHandle> process() {
            return java.util.Optional.empty();
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    private static final class Apart extends BenchBroker {
        private static final String READY = "bootstrap.servers=";
        private final Process process;
        private final String bootstrap;
        private final List<String> javaOptions;

        Apart(int partitions, List<String> javaOptions) throws IOException {
            this.javaOptions = javaOptions;
            String java = ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
            List<String> command = new java.util.ArrayList<>(List.of(java));
            command.addAll(javaOptions);
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    SeqcastCommand.class.getName(),
                    "broker",
                    "--port",
                    "0",
                    "--partitions",
                    Integer.toString(partitions)));
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String found = null;
            while (found == null && (line = out.readLine()) != null) {
                if (line.startsWith(READY)) {
                    found = line.substring(READY.length()).trim();
                }
            }
            if (found == null) {
                process.destroyForcibly();
                throw new IOException("the benchmark's broker (seqcast broker) exited before accepting clients: "
                        + String.join(" ", command));
            }
            bootstrap = found;
        }

        @Override
        public String bootstrapServers() {
            return bootstrap;
        }

        @Override
        public String describe() {
            return "KRaft broker apart, in its own JVM (seqcast broker, " + String.join(" ", javaOptions) + ")";
        }

        @Override
        java.util.Optional<ProcessHandle> process() {
            return java.util.Optional.of(process.toHandle());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the broker command's shutdown hook closes the broker
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
