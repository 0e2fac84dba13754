package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeasonalProfilesTest {

    static final long HOUR = 3_600_000L;

    /** Feeds {@code days} days of hourly values, {@code level(day)} at every hour of that day. */
    private static Profiles feed(SeasonalProfiles profiles, double... levels) {
        Profiles s = profiles.initial();
        float[] seasonal = new float[profiles.profiles()];
        for (int d = 0; d < levels.length; d++) {
            for (int h = 0; h < 24; h++) {
                profiles.observe(s, (d * 24L + h) * HOUR, levels[d], seasonal);
            }
        }
        profiles.observe(s, levels.length * 24L * HOUR, 0, seasonal); // closes the last bucket
        return s;
    }

    @Test
    void shouldKeepTheLastSeasonsMeanWithoutSmoothing() {
        SeasonalProfiles profiles = new SeasonalProfiles(24, 0);
        Profiles s = feed(profiles, 10, 20);
        assertEquals(20, profiles.value(s, 0, 5 * HOUR), 1e-6);
    }

    @Test
    void shouldWeighTheNewestSeasonBySmoothing() {
        SeasonalProfiles profiles = new SeasonalProfiles(24, 0, 0.3);
        Profiles s = feed(profiles, 10, 20, 20);
        // first season taken as it is, then 10 + 0.3 * (20 - 10) = 13, then 13 + 0.3 * (20 - 13) = 15.1
        assertEquals(15.1, profiles.value(s, 0, 5 * HOUR), 1e-4);
        Profiles many = feed(profiles, 10, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20);
        assertTrue(Math.abs(profiles.value(many, 0, 5 * HOUR) - 20) < 0.1, "converges to the new level");
    }

    @Test
    void shouldRefuseASmoothingOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new SeasonalProfiles(24, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SeasonalProfiles(24, 0, 1.5));
    }
}
