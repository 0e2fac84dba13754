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

/** The series state written by the previous release (format version 1) is still read; unknown versions are refused. */
class SeriesStateVersionTest {

    static byte[] golden() throws Exception {
        try (InputStream in = SeriesStateVersionTest.class.getResourceAsStream("/state/series-state-v1.bin")) {
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
        assertEquals(0, s.surpriseCount, "the anomaly likelihood starts afresh");
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
