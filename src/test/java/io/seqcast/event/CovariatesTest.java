package io.seqcast.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Covariates of known instants (UTC): sine and cosine of the phase of the day and of the week (0 at Monday 00:00). */
class CovariatesTest {

    private static final Covariates BOTH = Covariates.of(List.of("time-of-day", "day-of-week"));

    private static float[] at(String instant) {
        float[] out = new float[BOTH.width()];
        BOTH.fill(Instant.parse(instant).toEpochMilli(), out, 0);
        return out;
    }

    private static void assertPair(double sin, double cos, float[] actual, int offset, String what) {
        assertEquals(sin, actual[offset], 1e-6, what + " sine");
        assertEquals(cos, actual[offset + 1], 1e-6, what + " cosine");
    }

    @Test
    void shouldGiveThePhaseOfTheDayAndOfTheWeek() {
        // 2026-12-07 is a Monday: both phases 0
        float[] monday = at("2026-12-07T00:00:00Z");
        assertPair(0, 1, monday, 0, "midnight");
        assertPair(0, 1, monday, 2, "Monday midnight");
        // Wednesday 06:00: a quarter of the day, (2 + 0.25) / 7 of the week
        float[] wednesday = at("2026-12-09T06:00:00Z");
        assertPair(1, 0, wednesday, 0, "06:00");
        double week = 2 * Math.PI * 2.25 / 7;
        assertPair(Math.sin(week), Math.cos(week), wednesday, 2, "Wednesday 06:00");
        // Sunday 18:00 before the epoch (negative time): three quarters of the day, 6.75 / 7 of the week
        float[] sunday = at("1969-12-28T18:00:00Z");
        assertPair(-1, 0, sunday, 0, "18:00");
        double late = 2 * Math.PI * 6.75 / 7;
        assertPair(Math.sin(late), Math.cos(late), sunday, 2, "Sunday 18:00");
        // noon on the epoch (a Thursday)
        float[] noon = at("1970-01-01T12:00:00Z");
        assertPair(0, -1, noon, 0, "noon");
        double thursday = 2 * Math.PI * 3.5 / 7;
        assertPair(Math.sin(thursday), Math.cos(thursday), noon, 2, "Thursday noon");
    }

    @Test
    void shouldWriteFromTheOffsetAndLeaveTheRest() {
        float[] out = {7, 7, 7, 7, 7};
        Covariates.of(List.of("time-of-day"))
                .fill(Instant.parse("2026-01-01T06:00:00Z").toEpochMilli(), out, 1);
        assertEquals(7, out[0]);
        assertEquals(1, out[1], 1e-6);
        assertEquals(0, out[2], 1e-6);
        assertEquals(7, out[3]);
    }

    @Test
    void shouldRecordItselfInAModelsInputFeatureNames() {
        List<String> inputs = new java.util.ArrayList<>(List.of("value"));
        inputs.addAll(BOTH.names());
        assertEquals(
                List.of(
                        "value",
                        "covariate:time-of-day.sin",
                        "covariate:time-of-day.cos",
                        "covariate:day-of-week.sin",
                        "covariate:day-of-week.cos"),
                inputs);
        assertEquals(BOTH, Covariates.ofInputFeatures(inputs));
        assertEquals(Covariates.NONE, Covariates.ofInputFeatures(List.of("value", "open")));
        assertEquals(4, BOTH.width());
        assertEquals("time-of-day,day-of-week", BOTH.toString());
    }

    @Test
    void shouldRefuseAnUnknownOrRepeatedCovariate() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Covariates.of(List.of("month-of-year")));
        assertTrue(e.getMessage().contains("known: [time-of-day, day-of-week]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Covariates.of(List.of("time-of-day", "time-of-day")));
    }
}
