package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** seqcast models publish refuses, before writing anything, a model that does not fit the pipeline. */
class ModelsCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToPublishAModelWithAShorterHorizonThanThePipeline() throws Exception {
        var net = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(4), 1, 2, 1));
        ModelInfo info = new ModelInfo("short", "9", CellType.LSTM, List.of(4), 1, 2);
        Path file = dir.resolve("short.seqcast");
        ModelArtifact.of(net, ModelMetadata.of(info, List.of("value"), 2, 0, Map.of(), "test", Map.of(), Instant.now()))
                .write(file);
        // a pipeline without per-series learning: only the model forecasts, so its horizon bounds the pipeline's
        Path pipeline = dir.resolve("plain.yaml");
        Files.writeString(
                pipeline,
                String.join(
                        "\n",
                        "name: plain",
                        "input:",
                        "  topic: plain",
                        "sampling:",
                        "  interval: PT5M",
                        "model:",
                        "  artifact: short.seqcast",
                        "mode: stateful",
                        "forecast:",
                        "  horizon: 6",
                        ""));
        var r = SeqcastCommandTest.run(
                "models",
                "publish",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--pipelines",
                pipeline.toString(),
                "--pipeline",
                "plain",
                file.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(
                r.err()
                        .contains(
                                "refusing to publish: model short 9 forecasts 2 steps; " + pipeline + " has"
                                        + " forecast.horizon 6. Fix: set forecast.horizon: 2 or less, or train with --horizon 6."),
                r.err());
    }

    @Test
    void shouldRefuseAPipelineItCannotCheckAgainst() {
        var r = SeqcastCommandTest.run(
                "models",
                "publish",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--pipelines",
                "topology",
                "--pipeline",
                "elsewhere",
                "x.seqcast");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("pipeline elsewhere is not in topology; give --pipelines"), r.err());
    }
}
