package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.event.Observation;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.io.InputStream;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Series states written by earlier releases (format versions 1 and 3, golden files) are still read, and rewritten
 * in the current format without losing anything; unknown versions are refused.
 */
class SeriesStateVersionTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 300_000L;

    static byte[] golden() throws Exception {
        return golden(1);
    }

    static byte[] golden(int version) throws Exception {
        try (InputStream in = SeriesStateVersionTest.class.getResourceAsStream("/state/series-state-v" + version
                + ".bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void shouldReadAVersion1StateWithInitialValuesForTheNewFields() throws Exception {
        byte[] v1 = golden();
        assertEquals(1, v1[0], "the golden file is a version-1 state");
        SeriesState s = new SeriesStateSerde().deserialize("t", v1);
        assertEquals(1_400_000_000_000L, s.lastTime);
        assertEquals(500, s.count);
        assertEquals(12.5, s.mean[0]);
        assertArrayEquals(new float[] {0.1f, -0.2f, 0.3f, -0.4f}, s.hidden);
        assertArrayEquals(new float[] {0.25f, 0.5f}, s.residualMs);
        assertEquals(1_399_999_700_000L, s.alertOpenedAt);
        assertEquals(0.99999, s.alertPeakScore);
        assertArrayEquals(new float[] {1f, 1f}, s.intervalScale, "intervals start uncalibrated");
        assertEquals(0, s.likelihood.count, "the anomaly likelihood starts afresh");
        assertEquals(Double.POSITIVE_INFINITY, s.seenMin);
    }

    @Test
    void shouldWriteTheCurrentVersionAndRoundTripIt() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState upgraded = serde.deserialize("t", golden());
        byte[] v2 = serde.serialize("t", upgraded);
        assertEquals(SeriesStateSerde.VERSION, v2[0]);
        assertArrayEquals(v2, serde.serialize("t", serde.deserialize("t", v2)));
    }

    /**
     * The version-3 golden file: {@code TestPipelines.stateful()} with {@code TinyModel(1, 8, 3)} after 150
     * observations, every 5 minutes from {@link #T0}, of a sine with noise and a spike at the 149th (an alert open).
     */
    @Test
    void shouldRewriteAVersion3StateInTheCurrentVersionWithoutLosingAnything() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] v3 = golden(3);
        assertEquals(3, v3[0], "the golden file is a version-3 state");
        SeriesState old = serde.deserialize("t", v3);
        assertEquals(150, old.count);
        assertTrue(old.alertOpen(), "the golden state has an alert open");

        byte[] v4 = serde.serialize("t", old);
        assertEquals(SeriesStateSerde.VERSION, v4[0]);
        assertTrue(v4.length < v3.length, v4.length + " bytes now, " + v3.length + " in version 3");
        SeriesState upgraded = serde.deserialize("t", v4);
        assertArrayEquals(v4, serde.serialize("t", upgraded));

        // every field a later observation reads is the same, bit for bit
        assertEquals(old.lastTime, upgraded.lastTime);
        assertEquals(old.count, upgraded.count);
        assertEquals(old.sinceReset, upgraded.sinceReset);
        assertEquals(old.normCount, upgraded.normCount);
        assertArrayEquals(old.mean, upgraded.mean);
        assertArrayEquals(old.var, upgraded.var);
        assertArrayEquals(old.hidden, upgraded.hidden);
        assertArrayEquals(old.residualMs, upgraded.residualMs);
        assertArrayEquals(old.residualCount, upgraded.residualCount);
        assertArrayEquals(old.intervalScale, upgraded.intervalScale);
        assertEquals(old.alertOpenedAt, upgraded.alertOpenedAt);
        assertEquals(old.alertSeverity, upgraded.alertSeverity);
        assertEquals(old.alertPeakScore, upgraded.alertPeakScore);
        assertEquals(old.alertNormalStreak, upgraded.alertNormalStreak);
        assertEquals(old.architecture, upgraded.architecture);
        assertEquals(0, upgraded.likelihood.count, "the likelihood of another raw surprise is dropped");
        assertEquals(old.seenMin, upgraded.seenMin);
        assertEquals(old.seenMax, upgraded.seenMax);
        int h = old.horizon();
        for (int a = 0; a < h; a++) {
            for (int k = a; k < h; k++) {
                assertEquals(old.pending[a * h + k], upgraded.pending[a * h + k], "pending row " + a + " step " + k);
            }
        }
    }

    /**
     * The version-5 golden file, written by the release before issue 18 (commit e50336d): {@code TestPipelines.stateful()}
     * with {@code TinyModel(1, 8, 3)} after 400 observations, every 5 minutes from {@link #T0}, of a sine with noise
     * (seed 5) and a spike at the 399th (an alert open).
     */
    @Test
    void shouldRewriteAVersion5StateKeepingAllButTheOldLikelihood() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] v5 = golden(5);
        assertEquals(5, v5[0], "the golden file is a version-5 state");
        SeriesState old = serde.deserialize("t", v5);
        assertEquals(400, old.count);
        assertTrue(old.alertOpen(), "the golden state has an alert open");
        assertEquals(0, old.likelihood.count, "the likelihood starts afresh");
        byte[] v6 = serde.serialize("t", old);
        assertEquals(SeriesStateSerde.VERSION, v6[0]);
        SeriesState upgraded = serde.deserialize("t", v6);
        assertArrayEquals(v6, serde.serialize("t", upgraded));
        assertEquals(old.lastTime, upgraded.lastTime);
        assertArrayEquals(old.hidden, upgraded.hidden);
        assertEquals(old.alertOpenedAt, upgraded.alertOpenedAt);
        assertEquals(old.alertPeakScore, upgraded.alertPeakScore);
        assertArrayEquals(old.noveltyMean, upgraded.noveltyMean);
        assertArrayEquals(old.noveltyHi, upgraded.noveltyHi);
        assertArrayEquals(old.profiles, upgraded.profiles);
        assertEquals(old.seenMax, upgraded.seenMax);
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        old = f.adopt(old);
        upgraded = f.adopt(upgraded);
        for (int i = 400; i < 410; i++) {
            var o = new Observation("s", T0 + i * STEP, new double[] {20 + 5 * Math.sin(i / 6.0)}, Map.of());
            assertEquals(f.process(old, o), f.process(upgraded, o), "observation " + i);
            upgraded = serde.deserialize("t", serde.serialize("t", upgraded));
        }
    }

    @Test
    void shouldForecastTheSameFromAVersion3StateAndItsRewrite() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState old = serde.deserialize("t", golden(3));
        SeriesState upgraded = serde.deserialize("t", serde.serialize("t", serde.deserialize("t", golden(3))));
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        old = f.adopt(old);
        upgraded = f.adopt(upgraded);
        for (int i = 150; i < 160; i++) {
            var o = new Observation("s", T0 + i * STEP, new double[] {20 + 5 * Math.sin(i / 6.0)}, Map.of());
            assertEquals(f.process(old, o), f.process(upgraded, o), "observation " + i);
            upgraded = serde.deserialize("t", serde.serialize("t", upgraded));
        }
    }

    @Test
    void shouldContinueAStreamFromAnUpgradedState() {
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        for (int i = 0; i < 50; i++) {
            f.process(s, new Observation("s", i * 300_000L, new double[] {Math.sin(i / 4.0)}, Map.of()));
        }
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] bytes = serde.serialize("t", s);
        assertTrue(bytes.length < 600, "state stays small: " + bytes.length + " bytes");
    }

    @Test
    void shouldRefuseAnUnknownVersionNamingBoth() throws Exception {
        byte[] future = golden().clone();
        future[0] = 9;
        var e = assertThrows(SerializationException.class, () -> new SeriesStateSerde().deserialize("t", future));
        assertTrue(e.getMessage().contains("version 9") && e.getMessage().contains("versions 1 to " + SeriesStateSerde.VERSION), e.getMessage());
    }
}
