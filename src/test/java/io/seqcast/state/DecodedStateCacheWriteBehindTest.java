package io.seqcast.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * {@link DecodedStateCache}'s write-behind on a clock the test moves: a changed state is written to the store below
 * once it has stayed unchanged for the delay (at most two a change), a state changed again before that is written once
 * for both changes, and the commit ({@code flushCache}) writes what is left; a state pushed out or deleted is not
 * written twice; the delay is a tenth of the task's commit interval, at most 10 ms. With {@code state.cache} not set
 * ({@link DecodedStateCache#BY_COMMIT_INTERVAL}), the cache holds states only if the task commits less often than
 * every 20 ms, and otherwise passes every call through to the store below. The engine-level contracts (same outputs,
 * stored states and changelog with any cache size) are {@code DecodedStateCacheTest}'s.
 */
class DecodedStateCacheWriteBehindTest {

    private static final long MS = 1_000_000L;

    /** The store below: the states as written, and every write in order. */
    private final Map<String, SeriesState> stored = new HashMap<>();

    private final List<String> writes = new ArrayList<>();
    private long now;

    @SuppressWarnings("unchecked")
    private DecodedStateCache cache(int capacity) {
        KeyValueStore<String, SeriesState> below = (KeyValueStore<String, SeriesState>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "put" -> {
                            writes.add((String) args[0]);
                            stored.put((String) args[0], (SeriesState) args[1]);
                            return null;
                        }
                        case "delete" -> {
                            return stored.remove((String) args[0]);
                        }
                        case "get" -> {
                            return stored.get((String) args[0]);
                        }
                        case "name" -> {
                            return "below";
                        }
                        case "init" -> {
                            return null;
                        }
                        default ->
                            throw new UnsupportedOperationException(
                                    "the cache under test only puts, gets and deletes: " + method.getName());
                    }
                });
        return new DecodedStateCache(below, capacity, 10 * MS, () -> now);
    }

    /** A task's context with these settings, for {@code init}. */
    private static StateStoreContext context(Map<String, Object> appConfigs) {
        return (StateStoreContext) Proxy.newProxyInstance(
                DecodedStateCacheWriteBehindTest.class.getClassLoader(),
                new Class<?>[] {StateStoreContext.class},
                (proxy, method, args) -> {
                    return switch (method.getName()) {
                        case "appConfigs" -> appConfigs;
                        case "taskId" -> new TaskId(0, 0);
                        default ->
                            throw new UnsupportedOperationException(
                                    "the cache's init reads the settings and the task id only: " + method);
                    };
                });
    }

    private static SeriesState state() {
        return SeriesState.of(0, 0, new Section<?>[0], new Object[0]);
    }

    @Test
    void shouldWriteAStateBehindOnceItStayedUnchangedForTheDelayAndTheRestAtTheCommit() {
        DecodedStateCache cache = cache(100);
        SeriesState a1 = state();
        SeriesState a2 = state();
        SeriesState b1 = state();
        SeriesState b2 = state();
        SeriesState c1 = state();
        now = 0;
        cache.put("a", a1);
        now = 5 * MS;
        cache.put("b", b1);
        assertEquals(List.of(), writes, "nothing unchanged for 10 ms yet");
        now = 11 * MS;
        cache.put("c", c1);
        assertEquals(List.of("a"), writes, "a unchanged for 11 ms: written behind; b (6 ms) not");
        assertSame(a1, stored.get("a"));
        now = 12 * MS;
        cache.put("a", a2);
        now = 13 * MS;
        cache.put("b", b2); // b changed again before it was written: one write for both changes
        assertEquals(List.of("a"), writes);
        assertEquals(3, cache.changedSize());
        cache.flushCache();
        assertEquals(0, cache.changedSize());
        assertEquals(List.of("a", "c", "a", "b"), writes, "the commit writes the rest, least recently changed first");
        assertSame(a2, stored.get("a"));
        assertSame(b2, stored.get("b"));
        assertSame(c1, stored.get("c"));
        cache.flushCache();
        assertEquals(4, writes.size(), "nothing changed since: nothing written");
    }

    @Test
    void shouldWriteAtMostTwoStatesBehindPerChange() {
        DecodedStateCache cache = cache(100);
        now = 0;
        for (String key : List.of("a", "b", "c", "d", "e")) {
            cache.put(key, state());
        }
        now = 20 * MS;
        cache.put("f", state());
        assertEquals(List.of("a", "b"), writes);
        cache.put("g", state());
        assertEquals(List.of("a", "b", "c", "d"), writes);
        assertEquals(3, cache.changedSize());
    }

    @Test
    void shouldWriteAStatePushedOutOnceAndADeletedOneNever() {
        DecodedStateCache cache = cache(2);
        now = 0;
        cache.put("x", state());
        cache.put("y", state());
        cache.put("z", state()); // x pushed out: written then
        assertEquals(List.of("x"), writes);
        assertEquals(2, cache.size());
        cache.delete("y");
        cache.flushCache();
        assertEquals(List.of("x", "z"), writes);
        assertEquals(Map.of("x", stored.get("x"), "z", stored.get("z")), stored);
    }

    @Test
    void shouldWriteEveryChangeAtOnceWithNoDelay() {
        DecodedStateCache cache = new DecodedStateCache(cache(100).wrapped(), 100, 0, () -> now);
        cache.put("a", state());
        cache.put("b", state());
        cache.put("a", state());
        assertEquals(List.of("a", "b", "a"), writes);
        assertEquals(0, cache.changedSize());
    }

    @Test
    void shouldTakeATenthOfTheCommitIntervalAsTheDelayAtMostTenMilliseconds() {
        assertEquals(10 * MS, DecodedStateCache.writeBehindNanos(Map.of("commit.interval.ms", 100L)));
        assertEquals(10 * MS, DecodedStateCache.writeBehindNanos(Map.of("commit.interval.ms", 30_000L)));
        assertEquals(10 * MS, DecodedStateCache.writeBehindNanos(Map.of()), "Streams' defaults: 100 ms or 30 s");
        assertEquals(2 * MS, DecodedStateCache.writeBehindNanos(Map.of("commit.interval.ms", 20L)));
        assertEquals(2 * MS, DecodedStateCache.writeBehindNanos(Map.of("commit.interval.ms", "20")));
        assertEquals(MS, DecodedStateCache.writeBehindNanos(Map.of("commit.interval.ms", 10)));
        assertEquals(0, DecodedStateCache.writeBehindNanos(Map.of("commit.interval.ms", 0L)));
        assertEquals(10 * MS, DecodedStateCache.writeBehindNanos(Map.of("commit.interval.ms", Long.MAX_VALUE)));
    }

    @Test
    void shouldWriteBehindAfterATenthOfTheTasksCommitInterval() {
        DecodedStateCache cache = new DecodedStateCache(cache(100).wrapped(), 100, -1, () -> now);
        cache.init(context(Map.of("commit.interval.ms", 20L)), cache);
        assertEquals(2 * MS, cache.writeBehindNanos());
        now = 0;
        cache.put("a", state());
        now = 3 * MS / 2;
        cache.put("b", state());
        assertEquals(List.of(), writes);
        now = 5 * MS / 2;
        cache.put("c", state());
        assertEquals(List.of("a"), writes, "a unchanged for 2.5 ms of a 20 ms commit: written; b (1 ms) not");
        cache.flushCache();
        assertEquals(List.of("a", "b", "c"), writes);
    }

    @Test
    void shouldKeepTheDelayOfTheDefaultCommitInterval() {
        DecodedStateCache cache = new DecodedStateCache(cache(100).wrapped(), 100, -1, () -> now);
        cache.init(context(Map.of("commit.interval.ms", 100L)), cache);
        now = 0;
        cache.put("a", state());
        now = 9 * MS;
        cache.put("b", state());
        assertEquals(List.of(), writes, "a unchanged for 9 ms of a 100 ms commit: not yet");
        now = 10 * MS;
        cache.put("c", state());
        assertEquals(List.of("a"), writes);
    }

    @Test
    void shouldHoldStatesWhenNotSetAndTheTaskCommitsLessOftenThanEvery20Ms() {
        for (long commitMs : new long[] {21, 100, 30_000}) {
            DecodedStateCache cache =
                    new DecodedStateCache(cache(100).wrapped(), DecodedStateCache.BY_COMMIT_INTERVAL, -1, () -> now);
            cache.init(context(Map.of("commit.interval.ms", commitMs)), cache);
            now = 0;
            cache.put("a", state());
            assertTrue(cache.on(), "commit " + commitMs + " ms");
            assertEquals(List.of(), writes, "held, not written yet, at commit " + commitMs + " ms");
            cache.flushCache();
            assertEquals(List.of("a"), writes);
            writes.clear();
        }
    }

    @Test
    void shouldPassEveryCallThroughWhenNotSetAndTheTaskCommitsEvery20MsOrMoreOften() {
        for (long commitMs : new long[] {20, 10, 1}) {
            DecodedStateCache cache =
                    new DecodedStateCache(cache(100).wrapped(), DecodedStateCache.BY_COMMIT_INTERVAL, -1, () -> now);
            cache.init(context(Map.of("commit.interval.ms", commitMs)), cache);
            now = 0;
            SeriesState a = state();
            cache.put("a", a);
            assertFalse(cache.on(), "commit " + commitMs + " ms");
            assertEquals(List.of("a"), writes, "written at once at commit " + commitMs + " ms");
            assertEquals(0, cache.size(), "nothing held");
            stored.put("a", state()); // what the store below holds is what a get returns
            assertSame(stored.get("a"), cache.get("a"));
            cache.flushCache();
            assertEquals(List.of("a"), writes);
            writes.clear();
        }
    }

    @Test
    void shouldHoldStatesAtA20MsCommitWhenTheCapacityIsSet() {
        DecodedStateCache cache = new DecodedStateCache(cache(100).wrapped(), 100, -1, () -> now);
        cache.init(context(Map.of("commit.interval.ms", 20L)), cache);
        now = 0;
        cache.put("a", state());
        assertTrue(cache.on());
        assertEquals(List.of(), writes);
        assertEquals(1, cache.size());
    }
}
