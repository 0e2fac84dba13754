package io.seqcast.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {

    /** The repository's copy; tests never read the shared data directory. */
    private static final Path ECG = Path.of("data", "ecg");

    @Test
    void shouldCutOneWindowPerBeatAwayFromTheRecordEnds() throws Exception {
        List<Heartbeats.Beat> beats = Heartbeats.read(
                "100", ECG.resolve("mitdb_100_signal.csv.gz"), ECG.resolve("mitdb_100_annotations.csv"), 0.6);

        // 2273 beats (N 2239, A 33, V 1); the first and last beats lie too near the record's ends
        assertEquals(2271, beats.size());
        assertEquals(2237, beats.stream().filter(b -> b.label() == 0).count());
        assertEquals(34, beats.stream().filter(b -> b.label() == 1).count());
        for (Heartbeats.Beat b : beats) {
            assertEquals(Heartbeats.STEPS, b.window().length);
            assertEquals(b.symbol().equals("N") ? 0 : 1, b.label());
        }
        // the R peak (0.25 s into the window: step 15) stands out of a normal beat's window
        float[] w = beats.get(10).window();
        int peak = 0;
        for (int s = 1; s < w.length; s++) {
            peak = w[s] > w[peak] ? s : peak;
        }
        assertTrue(Math.abs(peak - Heartbeats.BEFORE / Heartbeats.DOWNSAMPLE) <= 1, "peak at step " + peak);
    }
}
