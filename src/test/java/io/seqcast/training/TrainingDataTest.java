package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqcast.replay.CsvSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code seqcast train}'s history cut (downsampling, then the first part only) and the cutting into pieces. */
class TrainingDataTest {

    static CsvSeries ramp(int rows) {
        long[] t = new long[rows];
        double[][] v = new double[rows][];
        for (int i = 0; i < rows; i++) {
            t[i] = 1000L * i;
            v[i] = new double[] {i};
        }
        return new CsvSeries("ramp", t, v);
    }

    @Test
    void shouldDownsampleThenKeepOnlyTheHistory() {
        // 103 rows, mean of 4: 25 rows (0..3 -> 1.5, ...); the history is the first int(0.7 * 25) = 17 of them
        CsvSeries h = TrainingData.history(List.of(ramp(103)), 4, 0.7).get(0);
        assertEquals(17, h.size());
        assertEquals(1.5, h.firstColumn()[0], 1e-12);
        assertEquals(16 * 4 + 1.5, h.firstColumn()[16], 1e-12);
        assertEquals(16 * 4000L + 3000L, h.times()[16], "timed at the last row of its group");
    }

    @Test
    void shouldKeepEverythingByDefault() {
        CsvSeries s = ramp(10);
        assertEquals(10, TrainingData.history(List.of(s), 1, 1).get(0).size());
    }

    @Test
    void shouldRefuseAHistoryFractionOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> TrainingData.history(List.of(ramp(10)), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingData.history(List.of(ramp(10)), 1, 1.5));
    }

    @Test
    void shouldCutIntoConsecutivePiecesWithTheRemainderInTheLast() {
        float[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        List<float[]> pieces = TrainingData.chunks(x, 3);
        assertEquals(3, pieces.size());
        assertArrayEquals(new float[] {0, 1, 2}, pieces.get(0));
        assertArrayEquals(new float[] {3, 4, 5}, pieces.get(1));
        assertArrayEquals(new float[] {6, 7, 8, 9, 10}, pieces.get(2));
        assertArrayEquals(x, TrainingData.chunks(x, 1).get(0));
        assertThrows(IllegalArgumentException.class, () -> TrainingData.chunks(x, 0));
    }
}
