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
import java.util.Arrays;
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
        try (InputStream in =
                SeriesStateVersionTest.class.getResourceAsStream("/state/series-state-v" + version + ".bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void shouldReadAVersion1StateWithInitialValuesForTheNewFields() throws Exception {
        byte[] v1 = golden();
        assertEquals(1, v1[0], "the golden file is a version-1 state");
        // the stages decode what was stored whatever their settings (here not the state's: hidden 4, horizon 2)
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = new SeriesStateSerde().deserialize("t", v1);
        assertEquals(1_400_000_000_000L, s.lastTime);
        assertEquals(500, s.count);
        ForecastStage forecasts = StagesOf.stage(f, ForecastStage.class);
        Pending p = s.stored(forecasts);
        assertArrayEquals(new float[] {0.25f, 0.5f}, p.residualMs);
        assertArrayEquals(new float[] {1f, 1f}, p.intervalScale, "intervals start uncalibrated");
        assertEquals(12.5, s.stored(StagesOf.stage(f, ScaleStage.class)).mean[0]);
        assertArrayEquals(new float[] {0.1f, -0.2f, 0.3f, -0.4f}, s.stored(StagesOf.stage(f, ModelStage.class)).hidden);
        var alert = s.stored(StagesOf.stage(f, AlertStage.class));
        assertEquals(1_399_999_700_000L, alert.openedAt);
        assertEquals(0.99999, alert.peakScore);
        assertEquals(
                null,
                s.stored(StagesOf.stage(f, LikelihoodStage.class)),
                "the likelihood of another raw surprise is dropped: it starts afresh");
        assertEquals(Double.POSITIVE_INFINITY, s.stored(StagesOf.stage(f, NoveltyStage.class)).seenMin);
    }

    @Test
    void shouldWriteTheCurrentVersionAndRoundTripIt() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState upgraded = f.adopt(serde.deserialize("t", golden(3)));
        byte[] current = serde.serialize("t", upgraded);
        assertEquals(SeriesStateSerde.VERSION, current[0]);
        assertArrayEquals(current, serde.serialize("t", serde.deserialize("t", current)), "as read, unadopted");
        assertArrayEquals(current, serde.serialize("t", f.adopt(serde.deserialize("t", current))), "adopted");
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
        assertTrue(
                old.stored(StagesOf.stage(
                                new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3)),
                                AlertStage.class))
                        .open(),
                "the golden state has an alert open");

        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        byte[] v6 = serde.serialize("t", f.adopt(old));
        assertEquals(SeriesStateSerde.VERSION, v6[0]);
        assertTrue(v6.length < v3.length, v6.length + " bytes now, " + v3.length + " in version 3");
        SeriesState upgraded = f.adopt(serde.deserialize("t", v6));
        assertArrayEquals(v6, serde.serialize("t", upgraded));

        // every field a later observation reads is the same, bit for bit
        assertEquals(old.lastTime, upgraded.lastTime);
        assertEquals(old.count, upgraded.count);
        for (Stage<?> stage : f.stages()) {
            if (stage instanceof ForecastStage) {
                // of the pending forecasts, only the triangle a later observation reads is kept
                Pending a = old.slice((ForecastStage) stage);
                Pending b = upgraded.slice((ForecastStage) stage);
                int h = a.horizon();
                a.forecasts = io.seqcast.state.Triangle.pack(a.forecasts, 1, h);
                b.forecasts = io.seqcast.state.Triangle.pack(b.forecasts, 1, h);
            }
            assertEquals(
                    json(old.slice(stage)),
                    json(upgraded.slice(stage)),
                    stage.getClass().getSimpleName());
        }
    }

    /** Every field of a slice, as text (floats bit for bit), to compare two slices. */
    static String json(Object slice) throws Exception {
        StringBuilder out = new StringBuilder();
        for (var field : slice.getClass().getDeclaredFields()) {
            field.setAccessible(true);
            Object v = field.get(slice);
            String text = v instanceof float[] a
                    ? Arrays.toString(bits(a))
                    : v instanceof double[] d
                            ? Arrays.toString(d)
                            : v instanceof int[] i ? Arrays.toString(i) : String.valueOf(v);
            out.append(field.getName()).append('=').append(text).append('\n');
        }
        return out.toString();
    }

    /** Bits of the values, the NaN where a pending forecast was never stored (its past steps) as one. */
    static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToIntBits(a[i]);
        }
        return out;
    }

    @Test
    void shouldForecastTheSameFromAVersion3StateAndItsRewrite() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState old = serde.deserialize("t", golden(3));
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState upgraded = serde.deserialize("t", serde.serialize("t", f.adopt(serde.deserialize("t", golden(3)))));
        old = f.adopt(old);
        upgraded = f.adopt(upgraded);
        for (int i = 150; i < 160; i++) {
            var o = new Observation("s", T0 + i * STEP, new double[] {20 + 5 * Math.sin(i / 6.0)}, Map.of());
            assertEquals(f.process(old, o), f.process(upgraded, o), "observation " + i);
            upgraded = f.adopt(serde.deserialize("t", serde.serialize("t", upgraded)));
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
        assertTrue(
                e.getMessage().contains("version 9")
                        && e.getMessage().contains("versions 1 to " + SeriesStateSerde.VERSION),
                e.getMessage());
    }
}
