package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Gauge;
import io.seqcast.config.PipelineConfig;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import io.seqcast.topology.Names;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqcast.series.held} equals the number of series in the store, and {@code seqcast.state} their encoded
 * bytes, however often each series was overwritten (RocksDB's key estimate counted every overwrite still in the
 * memtable: 3,371 "series" for one) and after series expire.
 */
class StateGaugesTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final PipelineConfig PIPELINE = TestPipelines.stateful().withIdleExpiry(Duration.ofHours(6));

    @TempDir
    Path dir;

    private static double gauge(Driver d, String name) {
        Gauge g = d.metrics
                .registry()
                .find(name)
                .tags("pipeline", PIPELINE.name())
                .gauge();
        return g.value();
    }

    /** Exact encoded bytes of every state in the store. */
    private static long storedBytes(Driver d) {
        KeyValueStore<String, SeriesState> store = d.driver.getKeyValueStore(new Names(PIPELINE.name()).store());
        SeriesStateSerde serde = new SeriesStateSerde();
        long bytes = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                bytes += serde.serialize(null, all.next().value).length;
            }
        }
        return bytes;
    }

    @Test
    void shouldCountTheSeriesHeldExactlyHoweverOftenTheyAreUpdated() {
        try (Driver d = new Driver(PIPELINE, new TinyModel(1, 8, 3), dir)) {
            d.send("only", T0, 1.0);
            for (int i = 1; i < 3000; i++) {
                d.send("only", T0 + i * STEP, Math.sin(i / 7.0));
            }
            d.driver.advanceWallClockTime(Duration.ofSeconds(6));
            assertEquals(1, gauge(d, "seqcast.series.held"), 0.0, "one series, updated 3,000 times");

            for (int i = 0; i < 40; i++) {
                for (int s = 0; s < 37; s++) {
                    d.send("s" + s, T0 + (3000 + i) * STEP, s + Math.sin(i / 5.0));
                }
            }
            d.driver.advanceWallClockTime(Duration.ofSeconds(6));
            assertEquals(38, gauge(d, "seqcast.series.held"), 0.0);
            long exact = storedBytes(d);
            assertEquals(
                    exact,
                    gauge(d, "seqcast.state"),
                    exact * 0.15,
                    "state bytes: series held times the sampled mean encoded size");

            // 'only' and s1..s36 stop; s0 goes on for 7 hours of event time: 37 series expire
            for (int i = 40; i < 40 + 84; i++) {
                d.send("s0", T0 + (3000 + i) * STEP, Math.sin(i / 5.0));
            }
            d.driver.advanceWallClockTime(Duration.ofMinutes(1));
            assertEquals(37, d.metrics.count("seqcast.series.expired", "pipeline", PIPELINE.name()), 0.0);
            assertEquals(1, gauge(d, "seqcast.series.held"), 0.0, "after expiry");
        }
    }
}
