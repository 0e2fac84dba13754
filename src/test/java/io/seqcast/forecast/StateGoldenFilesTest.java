package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.Mode;
import io.seqcast.event.EventJson;
import io.seqcast.event.Observation;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Golden files of the state formats 4 and 5, written by the releases that wrote those versions (before the per-series
 * step was split into stages), and of format 6 with its first section versions, with the events each release published
 * for the next 30 observations of the series (since issue 18 changed the anomaly score deliberately, and the likelihood
 * of those states is dropped, their forecasts are compared: {@link #forecasts}):
 * {@code TestPipelines.stateful()} with combined forecasts (24 daily and 14 weekly buckets) and {@code TinyModel(1, 8,
 * 3)} after 398 observations of {@link #obs} (a spike at 395 opened an alert); the same state in version 4 (no novelty
 * or combination statistics, which start afresh); and the windowed pipeline after 140 observations.
 */
class StateGoldenFilesTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 300_000L;

    static PipelineConfig combined() {
        return TestPipelines.withCombination(TestPipelines.stateful(), 24, 14);
    }

    static PipelineConfig windowed() {
        return TestPipelines.withMode(TestPipelines.stateful(), Mode.WINDOWED);
    }

    static Observation obs(int i) {
        Random r = new Random(i);
        double v = 20 + 5 * Math.sin(i / 6.0) + 0.3 * r.nextGaussian() + (i == 395 ? 40 : 0);
        return new Observation("s", T0 + i * STEP, new double[] {v}, Map.of());
    }

    static SeriesState run(SeriesForecaster f, int n) {
        SeriesState s = f.initialState();
        for (int i = 0; i < n; i++) {
            f.process(s, obs(i));
        }
        return s;
    }

    static List<String> continued(SeriesForecaster f, SeriesState s, int from) {
        List<String> out = new ArrayList<>();
        s = f.adopt(s);
        for (int i = from; i < from + 30; i++) {
            var o = f.process(s, obs(i));
            var a = (Outcome.Accepted) o;
            out.add(new String(EventJson.encode(a.forecast()), StandardCharsets.UTF_8));
            if (a.alert() != null) {
                out.add(new String(EventJson.encode(a.alert()), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static byte[] golden(String name) throws Exception {
        try (InputStream in = StateGoldenFilesTest.class.getResourceAsStream("/state/" + name)) {
            return in.readAllBytes();
        }
    }

    static List<String> lines(String name) throws Exception {
        return new String(golden(name), StandardCharsets.UTF_8).lines().toList();
    }

    /**
     * The forecast events of {@code events} without their anomaly score: what a state written before issue 18 still
     * continues with exactly (its anomaly likelihood starts afresh, and the score is computed otherwise since).
     */
    static List<String> forecasts(List<String> events) {
        return events.stream()
                .filter(e -> e.startsWith("{\"type\":\"forecast\""))
                .map(e -> e.replaceFirst("\"anomalyScore\":[^,]*,", ""))
                .toList();
    }

    /**
     * A state written by an earlier release is read, and the series continues from it with exactly the events that
     * release published (golden), as it does from its rewrite in the current format.
     */
    void shouldContinueAsTheReleaseThatWroteIt(String file, int version, PipelineConfig pipeline, int from)
            throws Exception {
        shouldContinueAsTheReleaseThatWroteIt(file, version, pipeline, from, file);
    }

    /** As above, with the events continued from {@code events}{@code .continued.txt}. */
    void shouldContinueAsTheReleaseThatWroteIt(
            String file, int version, PipelineConfig pipeline, int from, String events) throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] old = golden(file + ".bin");
        assertEquals(version, old[0], "the golden file is a version-" + version + " state");
        var f = new SeriesForecaster(pipeline, new TinyModel(1, 8, 3));
        List<String> expected = forecasts(lines(events + ".continued.txt"));
        List<String> continued = continued(f, serde.deserialize("t", old), from);
        assertEquals(expected, forecasts(continued));
        byte[] rewritten = serde.serialize("t", f.adopt(serde.deserialize("t", old)));
        assertEquals(SeriesStateSerde.VERSION, rewritten[0]);
        assertEquals(continued, continued(f, serde.deserialize("t", rewritten), from), "as from its rewrite");
    }

    @Test
    void shouldContinueAVersion5StateWithCombinedForecastsAndAnOpenAlert() throws Exception {
        shouldContinueAsTheReleaseThatWroteIt("series-state-v5", 5, combined(), 398);
    }

    @Test
    void shouldContinueAVersion5WindowedState() throws Exception {
        shouldContinueAsTheReleaseThatWroteIt("series-state-v5-windowed", 5, windowed(), 140);
    }

    /**
     * The version-6 golden file of the first section versions (likelihood and alert sections at version 1), written
     * before issue 18: the same series as the version-5 one. The series continues from it with the forecasts it made.
     */
    @Test
    void shouldContinueAVersion6StateOfTheFirstSectionVersions() throws Exception {
        shouldContinueAsTheReleaseThatWroteIt("series-state-v6", 6, combined(), 398, "series-state-v5");
    }

    /**
     * The golden file of this build's sections (the likelihood section at version 2, with the likelihood of issue 18;
     * the alert section at version 2, with the alert's kind): the same series as the version-5 one, with the events it
     * continues with. The state is written byte for byte as then, and the series continues from it as then.
     * {@code -Dseqcast.golden.write=true} rewrites both files (a deliberate format change: then also bump a section's
     * version, and keep the file it replaces, renamed, in a test as the one above).
     */
    @Test
    void shouldWriteAndContinueTheCurrentState() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        var f = new SeriesForecaster(combined(), new TinyModel(1, 8, 3));
        byte[] now = serde.serialize("t", run(f, 398));
        List<String> continued = continued(f, serde.deserialize("t", now), 398);
        if (Boolean.getBoolean("seqcast.golden.write")) {
            var dir = java.nio.file.Path.of("src/test/resources/state");
            java.nio.file.Files.write(dir.resolve("series-state-v6-anomaly.bin"), now);
            java.nio.file.Files.write(dir.resolve("series-state-v6-anomaly.continued.txt"), continued);
        }
        byte[] golden = golden("series-state-v6-anomaly.bin");
        assertEquals(6, golden[0], "the golden file is a version-6 state");
        org.junit.jupiter.api.Assertions.assertArrayEquals(golden, now, "the same state, written as the golden file");
        assertEquals(lines("series-state-v6-anomaly.continued.txt"), continued(f, serde.deserialize("t", golden), 398));
        assertEquals(
                forecasts(lines("series-state-v5.continued.txt")),
                forecasts(continued),
                "its forecasts are those the release that wrote version 5 made");
    }

    @Test
    void shouldContinueAVersion4StateWithFreshNoveltyAndCombination() throws Exception {
        shouldContinueAsTheReleaseThatWroteIt("series-state-v4", 4, combined(), 398);
    }
}
