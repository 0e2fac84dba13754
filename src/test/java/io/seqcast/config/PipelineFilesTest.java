package io.seqcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineFilesTest {

    @TempDir
    Path dir;

    static final String GOOD = """
            name: machines
            input:
              topic: observations
            sampling:
              interval: PT5M
            model:
              artifact: ../models/m.seqcast
            forecast:
              horizon: 6
            """;

    /**
     * The temperatures example forecasts with the machines pipeline's model, profiles and learned layer, published
     * alone (no combination), on its own topics, so that it loads beside the other examples.
     */
    @Test
    void shouldLoadTheTemperaturesExampleAsTheMachinesForecastsWithoutTheCombination() throws IOException {
        List<PipelineConfig> examples = PipelineFiles.load(Path.of("examples"));
        PipelineConfig t = examples.stream()
                .filter(p -> p.name().equals("temperatures"))
                .findFirst()
                .orElseThrow();
        PipelineConfig machines = PipelineFiles.load(Path.of("topology")).stream()
                .filter(p -> p.name().equals("machines"))
                .findFirst()
                .orElseThrow();
        assertTrue(machines.forecast().combine(), "the machines pipeline keeps the combination");
        assertEquals(false, t.forecast().combine());
        assertEquals(machines.forecast().learning(), t.forecast().learning());
        assertEquals(machines.profiles(), t.profiles());
        assertEquals(machines.modelArtifact(), t.modelArtifact());
        assertEquals(machines.sampling(), t.sampling());
        assertTrue(!t.input().topic().equals(machines.input().topic()), "its own input topic");
    }

    @Test
    void shouldReadAPipelineWithDefaults() throws IOException {
        Path file = Files.writeString(dir.resolve("machines.yaml"), GOOD);
        List<PipelineConfig> pipelines = PipelineFiles.load(dir);
        assertEquals(1, pipelines.size());
        PipelineConfig p = pipelines.get(0);
        assertEquals("machines", p.name());
        assertEquals(Duration.ofMinutes(5), p.sampling().interval());
        assertEquals(PipelineConfig.Mode.STATEFUL, p.mode());
        assertEquals(0.03, p.anomaly().threshold(), 1e-12, "-log10(0.001) / 100");
        assertEquals(
                file.toAbsolutePath().getParent().resolve("../models/m.seqcast").normalize(), p.modelArtifact());
    }

    @Test
    void shouldReadModelCovariatesAsAYamlListInOrderAndNoneByDefault() throws IOException {
        Files.writeString(
                dir.resolve("machines.yaml"),
                GOOD.replace(
                        "  artifact: ../models/m.seqcast\n",
                        "  artifact: ../models/m.seqcast\n  covariates: [day-of-week, time-of-day]\n"));
        PipelineConfig p = PipelineFiles.load(dir).get(0);
        assertEquals(List.of("day-of-week", "time-of-day"), p.covariates().ids());
        assertEquals(4, p.covariates().width());
        Files.writeString(dir.resolve("machines.yaml"), GOOD);
        assertTrue(PipelineFiles.load(dir).get(0).covariates().isEmpty());
    }

    @Test
    void shouldRefuseAnUnknownCovariateNamingTheKey() throws IOException {
        Files.writeString(
                dir.resolve("machines.yaml"),
                GOOD.replace(
                        "  artifact: ../models/m.seqcast\n",
                        "  artifact: ../models/m.seqcast\n  covariates: [month-of-year]\n"));
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        assertTrue(e.problems().stream().anyMatch(pr -> pr.key().equals("model.covariates")), e.getMessage());
        assertTrue(e.getMessage().contains("time-of-day"), e.getMessage());
    }

    @Test
    void shouldReportEveryMistakeWithFileKeyAndFix() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                name: Bad Name
                input:
                  topic: observations
                sampling:
                  interval: 5 minutes
                forcast:
                  horizon: 6
                forecast:
                  coverage: 1.5
                """);
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        String message = e.getMessage();
        assertTrue(message.contains("bad.yaml"), message);
        List<String> keys = e.problems().stream().map(ConfigProblem::key).toList();
        assertTrue(
                keys.containsAll(
                        List.of("name", "sampling.interval", "forcast.horizon", "forecast.coverage", "model.artifact")),
                keys.toString());
        assertTrue(message.contains("did you mean 'forecast.horizon'?"), message);
        assertTrue(message.contains("Fix: set sampling.interval"), message);
    }

    @Test
    void shouldRefuseBrokenYamlNamingTheLine() throws IOException {
        Files.writeString(dir.resolve("broken.yaml"), "name: x\ninput: [unclosed\n");
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        assertTrue(e.getMessage().contains("broken.yaml: (file): is not valid YAML"), e.getMessage());
    }

    @Test
    void shouldRefuseTwoPipelinesReadingOneTopic() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), GOOD);
        Files.writeString(dir.resolve("b.yaml"), GOOD.replace("machines", "other"));
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        assertEquals("input.topic", e.problems().get(0).key());
    }

    @Test
    void shouldRefuseASeasonalLagShorterThanTheHorizon() throws IOException {
        Files.writeString(dir.resolve("s.yaml"), GOOD + "learn:\n  enabled: true\n  seasonal-lag: 2\n");
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        assertEquals("learn.seasonal-lag", e.problems().get(0).key());
        assertTrue(e.getMessage().contains("set learn.seasonal-lag to a season"), e.getMessage());
        Files.writeString(dir.resolve("s.yaml"), GOOD + "learn:\n  enabled: true\n  seasonal-lag: 48\n");
        assertEquals(48, PipelineFiles.load(dir).get(0).forecast().learning().seasonalLag());
    }

    @Test
    void shouldRefuseAWindowStrideBeyondTheHorizon() throws IOException {
        Files.writeString(dir.resolve("w.yaml"), GOOD + "mode: windowed\nwindow:\n  stride: 7\n");
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        assertEquals("window.stride", e.problems().get(0).key());
    }

    @Test
    void shouldKeepStateInRocksDbUnlessThePipelineAsksForMemory() throws IOException {
        Files.writeString(dir.resolve("machines.yaml"), GOOD);
        assertEquals(
                PipelineConfig.StateStore.ROCKSDB,
                PipelineFiles.load(dir).get(0).store());
        Files.writeString(dir.resolve("machines.yaml"), GOOD + "state:\n  store: memory\n");
        assertEquals(
                PipelineConfig.StateStore.MEMORY, PipelineFiles.load(dir).get(0).store());
    }

    @Test
    void shouldRefuseAnUnknownStateStoreNamingTheKey() throws IOException {
        Files.writeString(dir.resolve("m.yaml"), GOOD + "state:\n  store: redis\n");
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        assertEquals("state.store", e.problems().get(0).key());
        assertTrue(e.getMessage().contains("m.yaml"), e.getMessage());
    }

    @Test
    void shouldLeaveTheStateCacheToTheCommitIntervalUnlessThePipelineSetsIt() throws IOException {
        Files.writeString(dir.resolve("machines.yaml"), GOOD);
        assertEquals(
                PipelineConfig.STATE_CACHE_BY_COMMIT_INTERVAL,
                PipelineFiles.load(dir).get(0).stateCache());
        Files.writeString(dir.resolve("machines.yaml"), GOOD + "state:\n  cache: 4096\n");
        assertEquals(4096, PipelineFiles.load(dir).get(0).stateCache());
        Files.writeString(dir.resolve("machines.yaml"), GOOD + "state:\n  cache: 0\n");
        assertEquals(0, PipelineFiles.load(dir).get(0).stateCache());
    }

    @Test
    void shouldRefuseABadStateCacheNamingFileKeyAndFix() throws IOException {
        for (String bad : new String[] {"-1", "many", "20000000"}) {
            Files.writeString(dir.resolve("m.yaml"), GOOD + "state:\n  cache: " + bad + "\n");
            var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
            assertEquals(
                    List.of("state.cache"),
                    e.problems().stream().map(ConfigProblem::key).toList(),
                    bad);
            assertTrue(e.getMessage().contains("m.yaml"), e.getMessage());
            assertTrue(e.getMessage().contains("Fix: set state.cache: "), e.getMessage());
            assertTrue(e.getMessage().contains("Not set: 4096 series"), e.getMessage());
        }
    }
}
