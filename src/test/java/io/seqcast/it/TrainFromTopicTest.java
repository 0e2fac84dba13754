package io.seqcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.broker.TopicSpec;
import io.seqcast.cli.SeqcastCommand;
import io.seqcast.model.ModelArtifact;
import io.seqcast.replay.CsvSeries;
import io.seqcast.replay.Replayer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** seqcast train replays a topic of observations and trains one model per series. */
class TrainFromTopicTest {

    @TempDir
    Path dir;

    @Test
    void shouldTrainOneModelPerSeriesFromATopic() throws Exception {
        try (KafkaBackend backend = EmbeddedKafkaBackend.plaintext()) {
            backend.createTopics(TopicSpec.of("train.obs", 2));
            List<Replayer.Feed> feeds = List.of(feed("alpha", 0.0), feed("beta", 1.5));
            Properties client = new Properties();
            client.putAll(backend.connectionProperties());
            try (Replayer replayer = new Replayer(client)) {
                assertEquals(600, replayer.replay(feeds, 0));
            }
            StringWriter out = new StringWriter();
            var cli = SeqcastCommand.commandLine();
            cli.setOut(new PrintWriter(out));
            int exit = cli.execute("train", "--from-topic", "train.obs", "--bootstrap-servers",
                    backend.bootstrapServers(), "--per-series", "--cell", "rnn", "--layers", "4", "--horizon", "2",
                    "--epochs", "1", "--name", "m", "--out", dir.resolve("m.seqcast").toString());
            assertEquals(0, exit, out.toString());
            assertTrue(out.toString().contains("read 2 series from train.obs"), out.toString());
            for (String s : List.of("alpha", "beta")) {
                var artifact = ModelArtifact.read(dir.resolve("m-" + s + ".seqcast"));
                assertEquals("m-" + s, artifact.metadata().name());
                assertTrue(artifact.metadata().trainingDataFingerprint().endsWith(" over " + s));
            }
        }
    }

    private static Replayer.Feed feed(String name, double phase) {
        long[] times = new long[300];
        double[][] values = new double[300][];
        for (int i = 0; i < 300; i++) {
            times[i] = 1_400_000_000_000L + i * 60_000L;
            values[i] = new double[] {Math.sin(i / 7.0 + phase)};
        }
        return new Replayer.Feed("train.obs", new CsvSeries(name, times, values));
    }
}
