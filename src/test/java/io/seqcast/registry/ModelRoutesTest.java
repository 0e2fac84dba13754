package io.seqcast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.ConfigProblem;
import io.seqcast.config.InvalidConfigurationException;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.forecast.ModelRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model.routes}: read and refused at start-up naming file, key and fix; resolved first match first. */
class ModelRoutesTest {

    static final Path LSTM = Path.of("models/lstm-2x32.seqcast").toAbsolutePath();
    static final Path ENCODER_DECODER = Path.of("models/lstm-ed-48x6.seqcast").toAbsolutePath();

    @TempDir
    Path dir;

    static String pipeline(String routes) {
        return """
                name: machines
                input:
                  topic: observations
                sampling:
                  interval: PT5M
                model:
                  artifact: %s
                %s
                forecast:
                  horizon: 6
                """.formatted(LSTM, routes);
    }

    PipelineConfig read(String routes) throws IOException {
        Files.writeString(dir.resolve("machines.yaml"), pipeline(routes));
        return PipelineFiles.load(dir).get(0);
    }

    List<ConfigProblem> refused(String routes) throws IOException {
        Files.writeString(dir.resolve("machines.yaml"), pipeline(routes));
        var e = assertThrows(InvalidConfigurationException.class, () -> PipelineFiles.load(dir));
        assertTrue(e.getMessage().contains("machines.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
        return e.problems();
    }

    @Test
    void shouldReadRoutesOfEveryKindInOrder() throws IOException {
        Files.copy(LSTM, dir.resolve("pump.seqcast"));
        PipelineConfig p = read("""
                  routes:
                    - series: pump-*
                      artifact: pump.seqcast
                    - series-regex: "fan-[0-9]+"
                      artifact: %s
                    - tag: site=north
                      artifact: %s
                """.formatted(LSTM, LSTM));
        assertEquals(3, p.routes().size());
        assertEquals("pump-*", p.routes().get(0).seriesGlob());
        assertEquals(
                dir.resolve("pump.seqcast").toAbsolutePath().normalize(),
                p.routes().get(0).artifact());
        assertEquals("fan-[0-9]+", p.routes().get(1).seriesRegex());
        assertEquals("site", p.routes().get(2).tagKey());
        assertEquals("north", p.routes().get(2).tagValue());
        assertEquals(3, ModelCatalog.routes(p).size());
    }

    @Test
    void shouldHaveNoRoutesUnlessThePipelineDeclaresThem() throws IOException {
        PipelineConfig p = read("");
        assertTrue(p.routes().isEmpty());
        assertTrue(ModelCatalog.routes(p).isEmpty());
    }

    @Test
    void shouldRefuseABadPatternATagWithoutValueAMissingFileAndTwoMatchers() throws IOException {
        List<ConfigProblem> problems = refused("""
                  routes:
                    - series-regex: "fan-[0-9"
                      artifact: %s
                    - tag: site
                      artifact: %s
                    - series: pump-*
                      artifact: nowhere.seqcast
                    - series: pump-*
                      tag: site=north
                      artifact: %s
                """.formatted(LSTM, LSTM, LSTM));
        assertEquals(
                List.of(
                        "model.routes[0].series-regex",
                        "model.routes[1].tag",
                        "model.routes[2].artifact",
                        "model.routes[3]"),
                problems.stream().map(ConfigProblem::key).toList());
        assertTrue(
                problems.get(2).problem().contains("nowhere.seqcast"),
                problems.get(2).problem());
    }

    @Test
    void shouldRefuseRoutesThatAreNotAList() throws IOException {
        assertEquals("model.routes", refused("  routes: pump-*\n").get(0).key());
    }

    @Test
    void shouldRefuseARoutedModelThatDoesNotFitThePipeline() throws IOException {
        PipelineConfig p = read("""
                  routes:
                    - series: pump-*
                      artifact: %s
                """.formatted(ENCODER_DECODER));
        var e = assertThrows(InvalidConfigurationException.class, () -> ModelCatalog.routes(p));
        assertEquals("model.routes[0].artifact", e.problems().get(0).key());
        assertTrue(e.getMessage().contains("machines.yaml"), e.getMessage());
        var atStart = assertThrows(InvalidConfigurationException.class, () -> ModelCatalog.load(List.of(p)));
        assertEquals("model.routes[0].artifact", atStart.problems().get(0).key());
    }

    @Test
    void shouldResolveTheFirstMatchingRouteByKeyOrTagAndDefaultOtherwise() throws IOException {
        PipelineConfig p = read("""
                  routes:
                    - series: pump-?1
                      artifact: %1$s
                    - series-regex: "pump-.*"
                      artifact: %1$s
                    - tag: site=north
                      artifact: %1$s
                    - series: "a.b*"
                      artifact: %1$s
                """.formatted(LSTM));
        ModelRoutes routes = ModelCatalog.routes(p);
        assertEquals(0, routes.resolve("pump-a1", Map.of("site", "north")), "first match wins");
        assertEquals(1, routes.resolve("pump-a2", Map.of()));
        assertEquals(1, routes.resolve("pump-aa1", Map.of()), "? is one character");
        assertEquals(2, routes.resolve("meter-1", Map.of("site", "north")));
        assertEquals(ModelRoutes.DEFAULT, routes.resolve("meter-1", Map.of("site", "south")));
        assertEquals(ModelRoutes.DEFAULT, routes.resolve("xpump-a1", Map.of()), "a glob matches the whole key");
        assertEquals(3, routes.resolve("a.bc", Map.of()));
        assertEquals(ModelRoutes.DEFAULT, routes.resolve("axbc", Map.of()), "a glob's dot is a dot");
    }
}
