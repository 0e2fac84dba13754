package io.seqcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.forecast.Profiles;
import io.seqcast.forecast.SeasonalProfiles;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class NoveltyTest {

    static final long MINUTE = 60_000;
    static final long FIVE_MINUTES = 5 * MINUTE;
    static final long DAY = 1440 * MINUTE;

    /** Novelty over the seasonal profiles of one series, as the per-series step runs them. */
    static final class Series {
        final SeasonalProfiles profiles;
        final Novelty novelty;
        final Profiles buckets;
        final NoveltyState state;
        final float[] seasonal;

        Series(int warmup, long refractoryMs, int daily, int weekly, long intervalMs, boolean level) {
            profiles = new SeasonalProfiles(daily, weekly);
            novelty = new Novelty(warmup, refractoryMs, profiles.seasonObservations(intervalMs), level);
            buckets = profiles.initial();
            state = novelty.initial();
            seasonal = new float[profiles.profiles()];
        }

        Series(int warmup, long refractoryMs, int daily, int weekly, long intervalMs) {
            this(warmup, refractoryMs, daily, weekly, intervalMs, true);
        }

        double observe(long t, double x) {
            return assess(t, x).tail();
        }

        Novelty.Finding assess(long t, double x) {
            profiles.observe(buckets, t, x, seasonal);
            return novelty.assess(state, t, x, seasonal);
        }
    }

    /** Observes {@code series} at steps {@code from} until {@code to}; returns the smallest tail among them. */
    static double observe(Series n, int from, int to, long step, LongToDoubleFunction series) {
        double least = 1;
        for (int i = from; i < to; i++) {
            long t = i * step;
            least = Math.min(least, n.observe(t, series.applyAsDouble(t)));
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
        Series n = new Series(288, 12 * 60 * MINUTE, 48, 0, FIVE_MINUTES);
        Random r = new Random(1);
        int novel = 0;
        for (int i = 0; i < 288 * 30; i++) {
            long t = i * FIVE_MINUTES;
            double tail = n.observe(t, daily(t, r));
            if (i > 288 * 10 && tail < 1) {
                novel++;
            }
        }
        assertTrue(novel <= 3, "novel observations in 20 days of the same cycle: " + novel);
    }

    @Test
    void shouldFindADayWithoutItsPeakThoughEveryValueIsInRange() {
        Series n = new Series(288, 12 * 60 * MINUTE, 48, 0, FIVE_MINUTES);
        Random r = new Random(2);
        int day = 288;
        observe(n, 0, day * 20, FIVE_MINUTES, t -> daily(t, r));
        Novelty.Finding most = Novelty.Finding.NONE;
        for (int i = day * 20; i < day * 21; i++) {
            Novelty.Finding f = n.assess(i * FIVE_MINUTES, r.nextGaussian() * 0.3); // no peak
            most = f.surprise() > most.surprise() ? f : most;
        }
        assertTrue(most.tail() <= 1e-12, "a day without its peak is new: " + most);
        assertEquals(AnomalyKind.BROKEN_CYCLE, most.kind(), "a broken cycle");
    }

    @Test
    void shouldFindAValueBeyondItsRangeAndDiscountTheEpisodeThatFollows() {
        Series n = new Series(100, 60 * MINUTE, 0, 0, MINUTE);
        Random r = new Random(3);
        observe(n, 0, 1000, MINUTE, t -> Math.sin(t / MINUTE / 10.0) + r.nextGaussian() * 0.01);
        assertEquals(1.0, n.observe(1000 * MINUTE, 0.5), "a value within its range");
        Novelty.Finding found = n.assess(1001 * MINUTE, 3.0);
        double first = found.tail();
        assertTrue(first <= 1e-12, "a whole range above everything seen: " + first);
        assertEquals(AnomalyKind.LEVEL, found.kind(), "a level never seen");
        double next = n.observe(1002 * MINUTE, 5.0);
        assertTrue(next > 1e-12 && next < 1, "within the refractory period the episode is discounted: " + next);
        double later = n.observe(1100 * MINUTE, 9.0);
        assertTrue(later <= 1e-12, "after the refractory period a new extreme counts fully: " + later);
    }

    @Test
    void shouldShareTheRefractoryPeriodWithTheResidualLikelihood() {
        Series n = new Series(100, 60 * MINUTE, 0, 0, MINUTE);
        Random r = new Random(4);
        observe(n, 0, 1000, MINUTE, t -> Math.sin(t / MINUTE / 10.0) + r.nextGaussian() * 0.01);
        Novelty.Finding onset = n.novelty.assess(n.state, 1000 * MINUTE, 0.5, n.seasonal, AnomalyLikelihood.RED);
        assertEquals(1.0, onset.residualDiscount(), "a red residual onset counts fully and opens the period");
        Novelty.Finding level = n.assess(1001 * MINUTE, 3.0);
        assertEquals(AnomalyKind.LEVEL, level.kind());
        assertTrue(level.tail() > 1e-12 && level.tail() < 1, "a new level in the residual's episode is discounted");
        Novelty.Finding residual = n.novelty.assess(n.state, 1002 * MINUTE, 0.5, n.seasonal, 7);
        assertEquals(Novelty.REFRACTORY_DISCOUNT, residual.residualDiscount(), "and so is a residual in it");
        AnomalyScore score = AnomalyFusion.fuse(0, residual, new AnomalyLikelihood.Verdict(7, 1), 0.001);
        assertEquals(0.007, score.score(), 1e-12, "7 orders discounted tenfold: 0.7 order");
        assertTrue(!score.alarming(), "a residual within the episode's refractory period does not alarm again");
        Novelty.Finding after = n.novelty.assess(n.state, 1100 * MINUTE, 0.5, n.seasonal, 7);
        assertEquals(1.0, after.residualDiscount(), "after the period a residual counts fully");
        assertEquals(Novelty.Finding.NONE, n.novelty.assess(n.state, 1101 * MINUTE, 0.5, n.seasonal, 4.9));
    }

    @Test
    void shouldFindASeriesStuck() {
        Series n = new Series(100, 60 * MINUTE, 0, 0, MINUTE);
        Random r = new Random(4);
        observe(n, 0, 2000, MINUTE, t -> 5 + 3 * Math.sin(t / MINUTE * Math.PI / 10) + r.nextGaussian() * 0.1);
        Novelty.Finding most = Novelty.Finding.NONE;
        for (int i = 2000; i < 2100; i++) {
            Novelty.Finding f = n.assess(i * MINUTE, 5.0); // stuck: every value mid-range
            most = f.surprise() > most.surprise() ? f : most;
        }
        assertTrue(most.tail() <= 1e-12, "a cycling series stuck at one value is new: " + most);
        assertEquals(AnomalyKind.QUIET, most.kind(), "a series gone quiet");
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
        Series on = new Series(100, DAY, 0, 0, DAY);
        Series off = new Series(100, DAY, 0, 0, DAY, false);
        for (int i = 0; i < prices.length; i++) {
            withLevel += on.observe(i * DAY, prices[i]) <= 1e-12 ? 1 : 0;
            withoutLevel += off.observe(i * DAY, prices[i]) <= 1e-12 ? 1 : 0;
        }
        assertTrue(withLevel > 20, "with level novelty every new high a day after the last is new: " + withLevel);
        assertTrue(withoutLevel <= 2, "without it, the trend itself is not: " + withoutLevel);
    }
}
