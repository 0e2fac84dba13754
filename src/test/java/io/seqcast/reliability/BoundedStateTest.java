package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Forecast;
import io.seqcast.state.SeriesState;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import io.seqcast.topology.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Series that stop sending are forgotten after the pipeline's idle expiry, and counted. */
class BoundedStateTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    /** Six hours: 72 observations of a 5-minute series. */
    static final Duration IDLE = Duration.ofHours(6);

    static final PipelineConfig PIPELINE = TestPipelines.stateful().withIdleExpiry(IDLE);

    @TempDir
    Path dir;

    static double value(int series, int i) {
        return 20 + series + Math.sin(i / 5.0);
    }

    /** s0, s1, s2 for 20 steps; then only s0 for 7 hours; then s1 once more. Scans the store every few steps if asked. */
    private List<Forecast> run(Driver d, boolean scan) {
        for (int i = 0; i < 20; i++) {
            for (int s = 0; s < 3; s++) {
                d.send("s" + s, T0 + i * STEP, value(s, i));
            }
        }
        int last = 20 + (int) (Duration.ofHours(7).toMillis() / STEP);
        for (int i = 20; i < last; i++) {
            d.send("s0", T0 + i * STEP, value(0, i));
            if (scan && i % 10 == 0) {
                d.driver.advanceWallClockTime(Duration.ofMinutes(1));
            }
        }
        if (scan) {
            d.driver.advanceWallClockTime(Duration.ofMinutes(1));
        }
        d.send("s1", T0 + last * STEP, value(1, last));
        return d.readForecasts();
    }

    private static Set<String> held(Driver d) {
        KeyValueStore<String, SeriesState> store = d.driver.getKeyValueStore(new Names(PIPELINE.name()).store());
        Set<String> keys = new TreeSet<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    @Test
    void shouldDeleteSeriesIdleForLongerThanTheExpiryAndCountThem() {
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir.resolve("scan"))) {
            for (int i = 0; i < 20; i++) {
                for (int s = 0; s < 3; s++) {
                    d.send("s" + s, T0 + i * STEP, value(s, i));
                }
            }
            int last = 20 + (int) (Duration.ofHours(7).toMillis() / STEP);
            for (int i = 20; i < last; i++) {
                d.send("s0", T0 + i * STEP, value(0, i));
            }
            assertEquals(Set.of("s0", "s1", "s2"), held(d), "nothing expires before a scan");
            d.driver.advanceWallClockTime(Duration.ofMinutes(1));
            assertEquals(Set.of("s0"), held(d), "s1 and s2 sent nothing for 7 hours, more than the 6-hour expiry");
            assertEquals(2, d.metrics.count("seqcast.series.expired", "pipeline", PIPELINE.name()), 0.0);
        }
    }

    @Test
    void shouldStartAReturningSeriesAfreshWhetherOrNotAScanDeletedItFirst() {
        List<Forecast> scanned;
        List<Forecast> unscanned;
        double expiredUnscanned;
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir.resolve("scanned"))) {
            scanned = run(d, true);
            assertEquals(
                    2,
                    d.metrics.count("seqcast.series.expired", "pipeline", PIPELINE.name()),
                    0.0,
                    "s1 and s2 by the scan; s1 is not counted again when it comes back");
        }
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir.resolve("unscanned"))) {
            unscanned = run(d, false);
            expiredUnscanned = d.metrics.count("seqcast.series.expired", "pipeline", PIPELINE.name());
        }
        assertEquals(scanned, unscanned, "outputs do not depend on when the scans run");
        assertEquals(1, expiredUnscanned, 0.0, "without a scan, s1 is forgotten when it comes back");
        Forecast back = scanned.get(scanned.size() - 1);
        assertEquals("s1", back.series());
        assertNull(back.expected(), "a forgotten series has no forecast for its next observation");
        assertTrue(back.warmingUp(), "and warms up again");
    }

    @Test
    void shouldNotLetOneRecordFromTheFarFutureExpireEverySeries() {
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir.resolve("future"))) {
            for (int i = 0; i < 10; i++) {
                for (int s = 0; s < 3; s++) {
                    d.send("s" + s, T0 + i * STEP, value(s, i));
                }
            }
            d.send("from-the-future", 10_000_000_000_000L, 1.0); // year 2286: beyond time.max.ahead.ms, refused
            d.driver.advanceWallClockTime(Duration.ofMinutes(1));
            assertEquals(Set.of("s0", "s1", "s2"), held(d));
            assertEquals(1, d.metrics.count("seqcast.dead.letter", "reason", "time-out-of-range"), 0.0);
            assertEquals(0, d.metrics.count("seqcast.series.expired", "pipeline", PIPELINE.name()), 0.0);
        }
    }

    @Test
    void shouldKeepEverySeriesThatSendsWithinTheExpiry() {
        List<String> series = new ArrayList<>();
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir.resolve("active"))) {
            for (int i = 0; i < 200; i++) {
                for (int s = 0; s < 3; s++) {
                    d.send("s" + s, T0 + i * STEP, value(s, i));
                }
                if (i % 20 == 0) {
                    d.driver.advanceWallClockTime(Duration.ofMinutes(1));
                }
            }
            series.addAll(held(d));
            assertEquals(0, d.metrics.count("seqcast.series.expired", "pipeline", PIPELINE.name()), 0.0);
        }
        assertEquals(List.of("s0", "s1", "s2"), series);
    }
}
