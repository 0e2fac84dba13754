package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.app.Engine;
import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.PipelineConfig;
import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.SequenceModel;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restore time as state grows (run with {@code -Dsurefire.excludedGroups= -Dtest=RestoreTimeBenchmark}): an
 * instance on an empty disk restores every series from the changelog before it runs; with a standby replica, the
 * instance that takes over has the state already and restores only the tail. LSTM 2x32, one observation per series.
 */
@Tag("benchmark")
class RestoreTimeBenchmark {

    static final Supplier<SequenceModel> LSTM_2X32 = () -> KernelModel.fromNetwork(
            Networks.build(NetworkSpec.of(CellType.LSTM, List.of(32, 32), 1, 3, 7)), "lstm-2x32", "1");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} series")
    @ValueSource(ints = {2_000, 10_000, 40_000})
    void measureRestoreAndStandbyFailover(int series) throws Exception {
        Scenario scenario =
                new Scenario("restore-" + UUID.randomUUID().toString().substring(0, 8), series, 1);
        PipelineConfig p = scenario.pipeline();
        String app = "restore-" + UUID.randomUUID();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 4),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            try (Engine first = Instances.start(bootstrap, app, dir.resolve("first"), p, 1, LSTM_2X32)) {
                Instances.awaitAllRunning(List.of(first), Duration.ofSeconds(60));
                Instances.produce(bootstrap, scenario, 0, 1, 0);
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (first.metrics().count("seqcast.forecasts") < series && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(series, first.metrics().count("seqcast.forecasts"), 0.0);
            }
            long started = System.nanoTime();
            try (Engine restored = Instances.start(bootstrap, app, dir.resolve("empty"), p, 1, LSTM_2X32)) {
                Instances.awaitAllRunning(List.of(restored), Duration.ofMinutes(5));
                long restoreMs = (System.nanoTime() - started) / 1_000_000;
                try (Engine standby = Instances.start(bootstrap, app, dir.resolve("standby"), p, 1, LSTM_2X32)) {
                    Instances.awaitAllRunning(List.of(restored, standby), Duration.ofMinutes(5));
                    Thread.sleep(5_000 + series / 10); // the standby copies catch up
                    long leaving = System.nanoTime();
                    restored.close();
                    Instances.awaitAllRunning(List.of(standby), Duration.ofMinutes(5));
                    long failoverMs = (System.nanoTime() - leaving) / 1_000_000;
                    System.out.printf(
                            "restore: %d series (LSTM 2x32): empty disk to running %d ms; fail-over to"
                                    + " the standby %d ms%n",
                            series, restoreMs, failoverMs);
                }
            }
        }
    }
}
