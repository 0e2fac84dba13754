package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetters;
import io.seqcast.state.SeriesState;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import io.seqcast.topology.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One time validation whatever the format: absurd times are refused alike as epoch numbers and as ISO text, and no
 * single record, absurd or merely outlying, expires other series.
 */
class TimeValidationTest {

    static final long T0 = 1_400_000_000_000L; // 2014: replayed history, far behind the wall clock
    static final long STEP = 5 * 60_000L;
    static final PipelineConfig PIPELINE = TestPipelines.stateful().withIdleExpiry(Duration.ofHours(6));

    @TempDir
    Path dir;

    private static String observation(String series, String timeJson) {
        return "{\"series\":\"" + series + "\",\"time\":" + timeJson + ",\"value\":1.5}";
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
    void shouldRefuseAbsurdTimesAlikeAsNumbersAndAsIsoText() {
        long max = Instant.parse("+292278994-08-17T07:12:55.807Z").toEpochMilli();
        List<String> absurd = List.of(
                "\"-292275055-06-01T00:00:00Z\"",
                "\"+292278994-08-17T07:12:55.807Z\"",
                "\"+10000-01-01T00:00:00Z\"",
                "-9223372036854775808",
                Long.toString(max),
                "-8640000000000000",
                "8640000000000000",
                "253402300800000",
                "-62135596800001");
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir)) {
            for (String time : absurd) {
                d.sendRaw("s", observation("s", time));
                List<TestRecord<byte[], byte[]>> dead = d.readDeadLetters();
                assertEquals(1, dead.size(), "refused: " + time);
                assertEquals("time-out-of-range", DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON), time);
                assertTrue(
                        DeadLetters.header(dead.get(0).headers(), DeadLetters.DETAIL)
                                .contains("outside the accepted range"),
                        time);
            }
            // the edges of the range are accepted, in both formats
            d.sendRaw("a", observation("a", "\"0001-01-01T00:00:00Z\""));
            d.sendRaw("b", observation("b", "-62135596800000"));
            assertEquals(2, d.readForecasts().size());
            assertTrue(d.readDeadLetters().isEmpty());
            assertTrue(held(d).containsAll(Set.of("a", "b")));
        }
    }

    @Test
    void shouldRefuseTimesTooFarAheadOfTheWallClockAsNumbersAndAsIsoText() {
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir)) {
            long inTwoDays = System.currentTimeMillis() + Duration.ofDays(2).toMillis();
            d.sendRaw("s", observation("s", Long.toString(inTwoDays)));
            d.sendRaw("s", observation("s", "\"" + Instant.ofEpochMilli(inTwoDays) + "\""));
            List<TestRecord<byte[], byte[]>> dead = d.readDeadLetters();
            assertEquals(2, dead.size());
            for (var r : dead) {
                assertEquals("time-out-of-range", DeadLetters.header(r.headers(), DeadLetters.REASON));
                assertTrue(DeadLetters.header(r.headers(), DeadLetters.DETAIL).contains("after the wall clock"));
            }
            d.send("s", System.currentTimeMillis() + Duration.ofHours(1).toMillis(), 1.0);
            assertEquals(1, d.readForecasts().size(), "within the default day ahead");
        }
    }

    @Test
    void shouldExpireNoOtherSeriesForOneAbsurdOrOutlyingTime() {
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir)) {
            for (int i = 0; i < 20; i++) {
                for (int s = 0; s < 3; s++) {
                    d.send("s" + s, T0 + i * STEP, 20 + s + Math.sin(i / 5.0));
                }
            }
            // absurd, as text and as a number: refused before they reach any state
            d.sendRaw("absurd", observation("absurd", "\"-292275055-06-01T00:00:00Z\""));
            d.sendRaw("absurd", observation("absurd", "-9223372036854775808"));
            // outlying but valid: "now" amid 2014 history, 12 years after every other series' last time
            d.send("outlier", System.currentTimeMillis() - 60_000, 1.0);
            d.driver.advanceWallClockTime(Duration.ofMinutes(1));
            d.send("s0", T0 + 20 * STEP, 20.5);
            d.driver.advanceWallClockTime(Duration.ofMinutes(1));
            assertEquals(Set.of("outlier", "s0", "s1", "s2"), held(d));
            assertEquals(0, d.metrics.count("seqcast.series.expired", "pipeline", PIPELINE.name()), 0.0);
            assertEquals(2, d.metrics.count("seqcast.dead.letter", "reason", "time-out-of-range"), 0.0);
            // the replay goes on: s1 and s2 idle for 7 hours of its own clock do expire
            for (int i = 21; i < 21 + 84; i++) {
                d.send("s0", T0 + i * STEP, 20.5);
            }
            d.driver.advanceWallClockTime(Duration.ofMinutes(1));
            assertEquals(Set.of("outlier", "s0"), held(d));
        }
    }
}
