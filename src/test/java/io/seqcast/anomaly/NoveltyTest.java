package io.seqcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class NoveltyTest {

    static final long MINUTE = 60_000;
    static final long FIVE_MINUTES = 5 * MINUTE;
    static final long DAY = 1440 * MINUTE;

    static SeriesState stateFor(Novelty n) {
        return SeriesState.initial(1, 0, 1, 0, n.features(), n.buckets());
    }

    /** Observes {@code series} at steps {@code from} until {@code to}; returns the smallest tail among them. */
    static double observe(Novelty n, SeriesState s, int from, int to, long step, LongToDoubleFunction series) {
        double least = 1;
        for (int i = from; i < to; i++) {
            long t = i * step;
            least = Math.min(least, n.observe(s, t, series.applyAsDouble(t)));
        }
        return least;
    }

    /** A daily cycle sampled every 5 minutes: high from 08:00 to 16:00, low otherwise, with noise. */
    static double daily(long time, Random r) {
        long minute = Math.floorMod(time, DAY) / MINUTE;
        return (minute >= 480 && minute < 960 ? 10 : 0) + r.nextGaussian() * 0.3;
    }

    @Test
    void shouldFindNothingNewInASeriesThatRepeatsItself() {
        Novelty n = new Novelty(288, 12 * 60 * MINUTE, 48, 0, FIVE_MINUTES);
        SeriesState s = stateFor(n);
        Random r = new Random(1);
        int novel = 0;
        for (int i = 0; i < 288 * 30; i++) {
            long t = i * FIVE_MINUTES;
            double tail = n.observe(s, t, daily(t, r));
            if (i > 288 * 10 && tail < 1) {
                novel++;
            }
        }
        assertTrue(novel <= 3, "novel observations in 20 days of the same cycle: " + novel);
    }

    @Test
    void shouldFindADayWithoutItsPeakThoughEveryValueIsInRange() {
        Novelty n = new Novelty(288, 12 * 60 * MINUTE, 48, 0, FIVE_MINUTES);
        SeriesState s = stateFor(n);
        Random r = new Random(2);
        int day = 288;
        observe(n, s, 0, day * 20, FIVE_MINUTES, t -> daily(t, r));
        Novelty.Finding most = Novelty.Finding.NONE;
        for (int i = day * 20; i < day * 21; i++) {
            Novelty.Finding f = n.assess(s, i * FIVE_MINUTES, r.nextGaussian() * 0.3); // no peak
            most = f.surprise() > most.surprise() ? f : most;
        }
        assertTrue(most.tail() <= 1e-12, "a day without its peak is new: " + most);
        assertEquals(AnomalyKind.BROKEN_CYCLE, most.kind(), "a broken cycle");
    }

    @Test
    void shouldFindAValueBeyondItsRangeAndDiscountTheEpisodeThatFollows() {
        Novelty n = new Novelty(100, 60 * MINUTE, 0, 0, MINUTE);
        SeriesState s = stateFor(n);
        Random r = new Random(3);
        observe(n, s, 0, 1000, MINUTE, t -> Math.sin(t / MINUTE / 10.0) + r.nextGaussian() * 0.01);
        assertEquals(1.0, n.observe(s, 1000 * MINUTE, 0.5), "a value within its range");
        Novelty.Finding found = n.assess(s, 1001 * MINUTE, 3.0);
        double first = found.tail();
        assertTrue(first <= 1e-12, "a whole range above everything seen: " + first);
        assertEquals(AnomalyKind.LEVEL, found.kind(), "a level never seen");
        double next = n.observe(s, 1002 * MINUTE, 5.0);
        assertTrue(next > 1e-12 && next < 1, "within the refractory period the episode is discounted: " + next);
        double later = n.observe(s, 1100 * MINUTE, 9.0);
        assertTrue(later <= 1e-12, "after the refractory period a new extreme counts fully: " + later);
    }

    @Test
    void shouldFindASeriesStuck() {
        Novelty n = new Novelty(100, 60 * MINUTE, 0, 0, MINUTE);
        SeriesState s = stateFor(n);
        Random r = new Random(4);
        observe(n, s, 0, 2000, MINUTE, t -> 5 + 3 * Math.sin(t / MINUTE * Math.PI / 10) + r.nextGaussian() * 0.1);
        Novelty.Finding most = Novelty.Finding.NONE;
        for (int i = 2000; i < 2100; i++) {
            Novelty.Finding f = n.assess(s, i * MINUTE, 5.0); // stuck: every value mid-range
            most = f.surprise() > most.surprise() ? f : most;
        }
        assertTrue(most.tail() <= 1e-12, "a cycling series stuck at one value is new: " + most);
        assertEquals(AnomalyKind.QUIET, most.kind(), "a series gone quiet");
    }

    @Test
    void shouldKeepItsStatisticsThroughTheStateSerde() {
        Novelty n = new Novelty(10, 60 * MINUTE, 24, 7, FIVE_MINUTES);
        SeriesState s = stateFor(n);
        Random r = new Random(5);
        observe(n, s, 0, 3000, FIVE_MINUTES, t -> daily(t, r));
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState back = serde.deserialize("t", serde.serialize("t", s));
        assertTrue(n.fits(back));
        assertArrayEquals(s.profiles, back.profiles);
        assertArrayEquals(s.noveltyHi, back.noveltyHi);
        assertArrayEquals(s.profileBucket, back.profileBucket);
        long t = 3000 * FIVE_MINUTES;
        assertEquals(n.observe(s, t, 4.2), n.observe(back, t, 4.2));
        assertEquals(s.noveltyAt, back.noveltyAt);
    }

    @Test
    void shouldLeaveTheNewHighsOfATrendingSeriesAloneWhenLevelNoveltyIsOff() {
        Random r = new Random(6);
        double[] prices = new double[2000];
        prices[0] = 100;
        for (int i = 1; i < prices.length; i++) {
            prices[i] = prices[i - 1] * Math.exp(0.002 + 0.01 * r.nextGaussian()); // a rising stock
        }
        int withLevel = 0;
        int withoutLevel = 0;
        Novelty on = new Novelty(100, DAY, 0, 0, DAY);
        Novelty off = new Novelty(100, DAY, 0, 0, DAY, false);
        SeriesState a = stateFor(on);
        SeriesState b = stateFor(off);
        for (int i = 0; i < prices.length; i++) {
            withLevel += on.observe(a, i * DAY, prices[i]) <= 1e-12 ? 1 : 0;
            withoutLevel += off.observe(b, i * DAY, prices[i]) <= 1e-12 ? 1 : 0;
        }
        assertTrue(withLevel > 20, "with level novelty every new high a day after the last is new: " + withLevel);
        assertTrue(withoutLevel <= 2, "without it, the trend itself is not: " + withoutLevel);
    }
}
