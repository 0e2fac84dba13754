package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topology description kept beside each pipeline file in topology/ is the one the code builds. */
class TopologyDescriptionTest {

    @Test
    void shouldMatchTheDescriptionKeptBesideEachPipeline() throws IOException {
        List<PipelineConfig> pipelines = PipelineFiles.load(Path.of("topology"));
        assertFalse(pipelines.isEmpty());
        for (PipelineConfig p : pipelines) {
            Path file = TopologyFactory.descriptionFile(p);
            assertEquals(
                    Files.exists(file) ? Files.readString(file) : "(missing " + file + ")",
                    TopologyFactory.describe(p),
                    "topology of pipeline " + p.name() + " drifted from " + file
                            + "; if the change is intended, run: ./seqcast topology --write");
        }
    }
}
