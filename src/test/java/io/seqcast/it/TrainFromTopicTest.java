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

    /** One broker for the class; each test its own topic. */
    static KafkaBackend backend;

    @org.junit.jupiter.api.BeforeAll
    static void startBroker() {
        backend = EmbeddedKafkaBackend.plaintext();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopBroker() {
        backend.close();
    }

    @Test
    void shouldTrainAWindowedEncoderDecoderFromATopicOfVectors() throws Exception {
        backend.createTopics(TopicSpec.of("train.vectors", 1));
        long[] times = new long[120];
        double[][] values = new double[120][];
        for (int i = 0; i < 120; i++) {
            times[i] = 1_400_000_000_000L + i * 60_000L;
            values[i] = new double[] {Math.sin(i / 3.0), Math.cos(i / 3.0)};
        }
        Properties client = new Properties();
        client.putAll(backend.connectionProperties());
        try (Replayer replayer = new Replayer(client)) {
            assertEquals(
                    120,
                    replayer.replay(
                            List.of(new Replayer.Feed("train.vectors", new CsvSeries("pair", times, values))), 0));
        }
        StringWriter out = new StringWriter();
        var cli = SeqcastCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        Path pipeline = dir.resolve("pair.yaml");
        java.nio.file.Files.writeString(
                pipeline,
                String.join(
                        "\n",
                        "name: pair",
                        "input:",
                        "  topic: train.vectors",
                        "  features: 2",
                        "sampling:",
                        "  interval: PT1M",
                        "model:",
                        "  artifact: ed.seqcast",
                        "mode: windowed",
                        "window:",
                        "  length: 5",
                        "forecast:",
                        "  horizon: 2",
                        ""));
        int exit = cli.execute(
                "train",
                "--pipeline",
                pipeline.toString(),
                "--bootstrap-servers",
                backend.bootstrapServers(),
                "--shape",
                "encoder-decoder",
                "--window",
                "5",
                "--cell",
                "rnn",
                "--layers",
                "4",
                "--horizon",
                "2",
                "--epochs",
                "1",
                "--name",
                "ed",
                "--out",
                dir.resolve("ed.seqcast").toString());
        assertEquals(0, exit, out.toString());
        var m = ModelArtifact.read(dir.resolve("ed.seqcast")).metadata();
        assertEquals("encoder-decoder", m.shape());
        assertEquals(2, m.inputSize());
        assertEquals(5, m.window());
        assertEquals(2, m.outputSteps());
        assertTrue(m.trainingDataFingerprint().endsWith(" over pair"), m.trainingDataFingerprint());
    }

    @Test
    void shouldTrainOneModelPerSeriesFromATopic() throws Exception {
        {
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
            int exit = cli.execute(
                    "train",
                    "--from-topic",
                    "train.obs",
                    "--bootstrap-servers",
                    backend.bootstrapServers(),
                    "--per-series",
                    "--cell",
                    "rnn",
                    "--layers",
                    "4",
                    "--horizon",
                    "2",
                    "--epochs",
                    "1",
                    "--name",
                    "m",
                    "--out",
                    dir.resolve("m.seqcast").toString());
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
