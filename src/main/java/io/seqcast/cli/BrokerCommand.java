package io.seqcast.cli;

import io.seqcast.broker.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqcast broker}: the demo's single-node Kafka broker (KRaft, loopback only) in a process of its own, until
 * Ctrl-C or SIGTERM. For {@code seqcast run}, {@code replay} and {@code tail} without a cluster, and for the benchmark,
 * which runs the broker apart from the engine it measures.
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = "Runs a single-node Apache Kafka broker (KRaft) on 127.0.0.1 until stopped: a development broker"
                + " for seqcast run, replay and tail. Prints 'bootstrap.servers=HOST:PORT' once it accepts clients.")
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 9092;

    @Option(
            names = "--partitions",
            description = "Partitions of topics created without a count (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Keep the broker's logs in DIR across restarts (default: a temporary directory, deleted"
                    + " when the broker stops).")
    Path data;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                closed.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "seqcast-broker-shutdown"));
        EmbeddedKafkaBroker.Builder builder =
                EmbeddedKafkaBroker.builder().port(port).defaultPartitions(partitions);
        if (data != null) {
            builder.dataDirectory(data);
        }
        try (EmbeddedKafkaBroker broker = builder.start()) {
            out.println("bootstrap.servers=" + broker.bootstrapServers());
            out.flush();
            stop.await();
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
