package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoded state cache ({@code state.cache}) changes nothing that leaves the engine: the same observations give the
 * same forecast and alert bytes, the same stored states and the same changelog, whether every record reads and decodes
 * its state from the store (0), the cache holds one series and so writes one out at almost every record, or it holds
 * them all. With {@code state.cache} not set, a task holds states only if it commits less often than every 20 ms.
 */
class DecodedStateCacheTest {

    private static final long T0 = 1_400_000_000_000L;
    private static final long STEP = 5 * 60_000L;
    private static final int SERIES = 4;

    @TempDir
    Path dir;

    /** What a run leaves: every output record's bytes, the store's states' bytes, the changelog's last per series. */
    private record Run(List<String> outputs, Map<String, byte[]> stored, Map<String, byte[]> changelog) {}

    private static PipelineConfig pipeline(int cache) {
        return TestPipelines.withLearning(TestPipelines.withCombination(TestPipelines.stateful(), 48))
                .withStateCache(cache);
    }

    private Run run(int cache) {
        PipelineConfig p = pipeline(cache);
        String store = new Names(p.name()).store();
        SeriesStateSerde serde = new SeriesStateSerde();
        try (Driver d = new Driver(p, new TinyModel(1, 8, 3), dir.resolve("cache-" + cache))) {
            var changelogTopic = d.driver.createOutputTopic(
                    "test-" + store + "-changelog", new StringDeserializer(), new ByteArrayDeserializer());
            Random random = new Random(3);
            int[] next = new int[SERIES];
            List<String> outputs = new ArrayList<>();
            for (int n = 0; n < 400; n++) {
                int s = random.nextInt(SERIES);
                int i = next[s]++;
                // a late duplicate now and then: refused, the state untouched
                long time = i > 3 && random.nextInt(20) == 0 ? T0 + (i - 2) * STEP : T0 + i * STEP;
                double value = 50 + 10 * s + 8 * Math.sin(i / 5.0) + random.nextGaussian() + (i == 150 ? 60 : 0);
                d.send("s" + s, time, value);
                d.forecasts.readRecordsToList().forEach(r -> outputs.add(r.key() + " " + new String(r.value())));
                d.alerts.readRecordsToList().forEach(r -> outputs.add(r.key() + " ! " + new String(r.value())));
                d.deadLetter.readRecordsToList().forEach(r -> outputs.add("dead " + new String(r.value())));
            }
            // the changelog as the commits left it, read before the scan below (which writes changed states itself)
            Map<String, byte[]> changelog = new TreeMap<>();
            changelogTopic.readKeyValuesToList().forEach(e -> changelog.put(e.key, e.value));
            Map<String, byte[]> stored = new TreeMap<>();
            KeyValueStore<String, SeriesState> kv = d.driver.getKeyValueStore(store);
            try (KeyValueIterator<String, SeriesState> all = kv.all()) {
                all.forEachRemaining(e -> stored.put(e.key, serde.serialize(null, e.value)));
            }
            return new Run(outputs, stored, changelog);
        }
    }

    @Test
    void shouldLeaveOutputsStateAndChangelogByteForByteTheSameWhateverItHolds() {
        Run none = run(0);
        assertEquals(SERIES, none.stored().size());
        for (int cache : new int[] {1, 2, PipelineConfig.DEFAULT_STATE_CACHE}) {
            Run cached = run(cache);
            assertEquals(none.outputs(), cached.outputs(), "outputs with state.cache " + cache);
            assertEquals(none.stored().keySet(), cached.stored().keySet());
            for (String series : none.stored().keySet()) {
                assertArrayEquals(none.stored().get(series), cached.stored().get(series), series + ", cache " + cache);
                // what the changelog holds after the commit equals what the store (and cache) hold
                assertArrayEquals(
                        cached.stored().get(series), cached.changelog().get(series), series + " changelog, " + cache);
            }
        }
    }

    @Test
    void shouldStepACachedSeriesOnItsDecodedStateAndServeOtherThreadsTheStoredOne() throws Exception {
        PipelineConfig p = pipeline(PipelineConfig.DEFAULT_STATE_CACHE);
        String name = new Names(p.name()).store();
        try (Driver d = new Driver(p, new TinyModel(1, 8, 3), dir.resolve("identity"))) {
            for (int i = 0; i < 30; i++) {
                d.send("a", T0 + i * STEP, 10 + Math.sin(i));
            }
            KeyValueStore<String, SeriesState> store = d.driver.getKeyValueStore(name);
            SeriesState held = store.get("a");
            assertNotNull(held);
            assertSame(held, store.get("a"), "the stream thread gets the state held, not a fresh decode");
            AtomicReference<SeriesState> queried = new AtomicReference<>();
            Thread query = new Thread(() -> queried.set(store.get("a")));
            query.start();
            query.join();
            assertNotNull(queried.get());
            assertNotSame(held, queried.get(), "another thread (an interactive query) reads the store");
            SeriesStateSerde serde = new SeriesStateSerde();
            assertArrayEquals(serde.serialize(null, held), serde.serialize(null, queried.get()));
            Map<String, Integer> counted = new HashMap<>();
            try (KeyValueIterator<String, SeriesState> all = store.all()) {
                all.forEachRemaining((KeyValue<String, SeriesState> e) -> counted.merge(e.key, 1, Integer::sum));
            }
            assertEquals(Map.of("a", 1), counted);
        }
    }

    /** Whether the stream thread's reads of series {@code a} return the state held (a cache) or a fresh decode. */
    private boolean holdsDecodedStates(int cache, long commitMs) {
        PipelineConfig p = pipeline(cache);
        Path stateDir = dir.resolve("commit-" + commitMs + "-cache-" + cache);
        try (Driver d = new Driver(p, new TinyModel(1, 8, 3), stateDir, Map.of("commit.interval.ms", commitMs))) {
            for (int i = 0; i < 5; i++) {
                d.send("a", T0 + i * STEP, 10 + Math.sin(i));
            }
            KeyValueStore<String, SeriesState> store = d.driver.getKeyValueStore(new Names(p.name()).store());
            SeriesState first = store.get("a");
            assertNotNull(first);
            return first == store.get("a");
        }
    }

    @Test
    void shouldCacheByDefaultAtTheDefaultCommitIntervalOnly() {
        assertEquals(
                PipelineConfig.STATE_CACHE_BY_COMMIT_INTERVAL,
                TestPipelines.stateful().stateCache());
        int notSet = PipelineConfig.STATE_CACHE_BY_COMMIT_INTERVAL;
        assertTrue(holdsDecodedStates(notSet, 100), "not set, commit 100 ms: cache on");
        assertFalse(holdsDecodedStates(notSet, 20), "not set, commit 20 ms: the store used directly");
        assertFalse(holdsDecodedStates(notSet, 10), "not set, commit 10 ms: the store used directly");
    }

    @Test
    void shouldFollowAStateCacheThePipelineSetsAtAnyCommitInterval() {
        assertTrue(holdsDecodedStates(PipelineConfig.DEFAULT_STATE_CACHE, 20), "state.cache 4096, commit 20 ms");
        assertTrue(holdsDecodedStates(16, 10), "state.cache 16, commit 10 ms");
        assertFalse(holdsDecodedStates(0, 100), "state.cache 0, commit 100 ms");
    }
}
