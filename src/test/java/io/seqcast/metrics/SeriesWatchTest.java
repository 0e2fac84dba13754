package io.seqcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeriesWatchTest {

    @Test
    void shouldWatchOnlyTheNamedSeriesWhenSomeAreNamed() {
        SeriesWatch w = SeriesWatch.of(List.of("a", "b"), 1);
        assertTrue(w.watches("a"));
        assertTrue(w.watches("b"));
        assertFalse(w.watches("c"));
        assertEquals(List.of("a", "b"), w.series());
        assertEquals(2, w.capacity());
    }

    @Test
    void shouldWatchTheFirstSeriesSeenUpToTheMaximum() {
        SeriesWatch w = SeriesWatch.of(List.of(), 3);
        IntStream.range(0, 1000).forEach(i -> w.watches("s" + i));
        assertEquals(List.of("s0", "s1", "s2"), w.series());
        assertTrue(w.watches("s1"));
        assertFalse(w.watches("s999"));
    }

    @Test
    void shouldWatchNothingWhenTheMaximumIsZero() {
        assertFalse(SeriesWatch.none().watches("a"));
        assertEquals(List.of(), SeriesWatch.none().series());
    }
}
