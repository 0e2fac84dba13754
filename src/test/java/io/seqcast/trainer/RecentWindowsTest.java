package io.seqcast.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.seqcast.event.Observation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer's memory is bounded per series and in series, and keeps each series' order as the engine does. */
class RecentWindowsTest {

    static Observation obs(String series, long time, double value) {
        return new Observation(series, time, new double[] {value}, Map.of());
    }

    @Test
    void shouldKeepTheMostRecentObservationsOfEachSeries() {
        RecentWindows w = new RecentWindows(3, 10);
        for (int t = 1; t <= 5; t++) {
            w.add(obs("a", t, t * 10));
        }
        var a = w.snapshot().get(0);
        assertArrayEquals(new long[] {3, 4, 5}, a.times());
        assertArrayEquals(new double[] {30, 40, 50}, a.values());
        assertEquals(3, w.observationCount());
    }

    @Test
    void shouldRefuseLateAndDuplicateObservations() {
        RecentWindows w = new RecentWindows(5, 10);
        w.add(obs("a", 10, 1));
        assertFalse(w.add(obs("a", 10, 2)));
        assertFalse(w.add(obs("a", 9, 2)));
        assertEquals(2, w.refused());
        assertEquals(1, w.observationCount());
    }

    @Test
    void shouldDropTheSeriesSilentForLongestBeyondMaxSeries() {
        RecentWindows w = new RecentWindows(5, 2);
        w.add(obs("a", 1, 1));
        w.add(obs("b", 1, 1));
        w.add(obs("a", 2, 1));
        w.add(obs("c", 1, 1));
        assertEquals(2, w.seriesCount());
        assertEquals(1, w.evicted());
        assertEquals(java.util.Set.of("a", "c"), java.util.Set.copyOf(TrainerFixtures.names(w.snapshot())));
    }
}
