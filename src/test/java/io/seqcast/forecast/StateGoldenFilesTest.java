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
 * step was split into stages), with the events each release published for the next 30 observations of the series:
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
     * A state written by an earlier release is read, and the series continues from it with exactly the events that
     * release published (golden), as it does from its rewrite in the current format.
     */
    void shouldContinueAsTheReleaseThatWroteIt(String file, int version, PipelineConfig pipeline, int from)
            throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] old = golden(file + ".bin");
        assertEquals(version, old[0], "the golden file is a version-" + version + " state");
        var f = new SeriesForecaster(pipeline, new TinyModel(1, 8, 3));
        List<String> expected = lines(file + ".continued.txt");
        assertEquals(expected, continued(f, serde.deserialize("t", old), from));
        byte[] rewritten = serde.serialize("t", f.adopt(serde.deserialize("t", old)));
        assertEquals(SeriesStateSerde.VERSION, rewritten[0]);
        assertEquals(expected, continued(f, serde.deserialize("t", rewritten), from));
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
     * The version-6 golden file: the same series as the version-5 one, written by this format (a section per stage).
     * The state is written byte for byte as then, and the series continues from it as from version 5.
     * {@code -Dseqcast.golden.write=true} rewrites it (a deliberate format change: then also bump a section's version).
     */
    @Test
    void shouldWriteAndContinueAVersion6State() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        var f = new SeriesForecaster(combined(), new TinyModel(1, 8, 3));
        byte[] now = serde.serialize("t", run(f, 398));
        if (Boolean.getBoolean("seqcast.golden.write")) {
            java.nio.file.Files.write(java.nio.file.Path.of("src/test/resources/state/series-state-v6.bin"), now);
        }
        byte[] v6 = golden("series-state-v6.bin");
        assertEquals(6, v6[0], "the golden file is a version-6 state");
        org.junit.jupiter.api.Assertions.assertArrayEquals(v6, now, "the same state, written as the golden file");
        assertEquals(lines("series-state-v5.continued.txt"), continued(f, serde.deserialize("t", v6), 398));
    }

    @Test
    void shouldContinueAVersion4StateWithFreshNoveltyAndCombination() throws Exception {
        shouldContinueAsTheReleaseThatWroteIt("series-state-v4", 4, combined(), 398);
    }
}
