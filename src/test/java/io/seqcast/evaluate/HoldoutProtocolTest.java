package io.seqcast.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HoldoutProtocolTest {

    /** Ten rows: history is the first 7 (int(0.7 * 10)), targets rows 7..9. */
    private static final double[] Y = {10, 12, 11, 15, 14, 18, 17, 21, 19, 25};

    @Test
    void shouldScaleByTheMeanAbsoluteChangeOverTheHistoryOnly() {
        HoldoutProtocol p = HoldoutProtocol.of(Y, 0.7, 2);
        assertEquals(7, p.trainSize());
        // |2| + |-1| + |4| + |-1| + |4| + |-1| = 13 over 6 changes; rows 7..9 do not count
        assertEquals(13.0 / 6, p.scale(), 1e-12);
    }

    @Test
    void shouldScoreNaiveOnTheTargetsOfEachStepWithTheForecastMadeStepsBefore() {
        HoldoutProtocol p = HoldoutProtocol.of(Y, 0.7, 2);
        HoldoutProtocol.MethodScore naive = p.score(Y, Baselines.naive(Y, 2));
        // h = 1: targets 7, 8, 9 from rows 6, 7, 8: errors 4, -2, 6
        assertEquals(3, naive.at(1).n());
        assertEquals(4.0, naive.at(1).mae(), 1e-12);
        assertEquals(Math.sqrt((16 + 4 + 36) / 3.0), naive.at(1).rmse(), 1e-12);
        assertEquals(4.0 / (13.0 / 6), naive.at(1).mase(), 1e-12);
        // h = 2: targets 8, 9 from rows 6, 7: errors 2, 4
        assertEquals(2, naive.at(2).n());
        assertEquals(3.0, naive.at(2).mae(), 1e-12);
        assertEquals(Double.NaN, naive.at(2).coverage());
    }

    @Test
    void shouldTakeSeasonalNaiveFromTheSamePhaseOfTheLastSeasonSeen() {
        OriginForecasts s = Baselines.seasonalNaive(Y, 3, 2);
        // from row 6: step 1 is row 7 - 2 = 5, step 2 is row 8 - 2 = 6, step 3 is row 9 - 4 = 5
        assertEquals(18, s.point(6, 1));
        assertEquals(17, s.point(6, 2));
        assertEquals(18, s.point(6, 3));
        assertEquals(Double.NaN, s.point(0, 1), "no season seen yet");
        HoldoutProtocol.MethodScore score = HoldoutProtocol.of(Y, 0.7, 1).score(Y, Baselines.seasonalNaive(Y, 1, 2));
        // targets 7, 8, 9 from rows 5, 6, 7: errors 3, 2, 4
        assertEquals(3.0, score.at(1).mae(), 1e-12);
    }

    @Test
    void shouldCountMissingForecastsAndIntervalCoverage() {
        OriginForecasts f = OriginForecasts.empty("m", Y.length, 1, true);
        for (int o = 6; o < 8; o++) {
            f.points()[o] = Y[o + 1];
            f.lower()[o] = Y[o + 1] - (o == 6 ? 1 : -1);
            f.upper()[o] = Y[o + 1] + 1;
        }
        HoldoutProtocol.StepScore s = HoldoutProtocol.of(Y, 0.7, 1).score(Y, f).at(1);
        assertEquals(2, s.n());
        assertEquals(1, s.missing());
        assertEquals(0.0, s.mae());
        assertEquals(0.5, s.coverage(), 1e-12);
    }

    @Test
    void shouldRefuseASeriesTooShortOrFlat() {
        assertThrows(IllegalArgumentException.class, () -> HoldoutProtocol.of(new double[] {1, 2, 3}, 0.7, 1));
        assertThrows(IllegalArgumentException.class, () -> HoldoutProtocol.of(new double[20], 0.7, 1));
    }
}
