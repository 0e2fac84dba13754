package io.seqcast.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.StreamThread;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The series' states of one task kept decoded, in front of the task's changelogged store: a record whose series is
 * in the cache is stepped on the state held here, without reading the store or decoding its bytes, and its state is
 * encoded and written to the store (RocksDB or memory, and the changelog) at most once per commit rather than once per
 * record. At most {@code capacity} series are held, least recently used first out; a series pushed out is written
 * to the store then if it changed since it was last written.
 *
 * <p>Write-behind: a changed state that has not changed again for a tenth of the task's commit interval (at most
 * {@link #WRITE_BEHIND_NANOS}, 10 ms: {@link #writeBehindNanos(Map)}) is written then, at the next change of another
 * series (at most two such writes a record), not at the commit: a series that comes back within that delay is written
 * once for all its records, but one that does not come back soon (the usual case with many series) is written as the
 * records arrive, so that the commit does not encode and send every changed state in one burst and hold back the
 * records behind it (measured: with 10,000 series at 2,000 observations/s and a 100 ms commit, the burst doubled the
 * median latency of the forecasts). The delay follows the commit interval because the commit writes what changed
 * within the delay before it: with a fixed 10 ms, a 10 ms commit wrote 97% of the changed states in its flush and a
 * 20 ms one 54% (BENCHMARKS.md, 4 December, perf6).
 *
 * <p>Default: a pipeline that does not set {@code state.cache} gets {@link #BY_COMMIT_INTERVAL}: a cache of
 * {@link #DEFAULT_CAPACITY} series when its tasks commit less often than every {@link #SHORT_COMMIT_MS}, and none at
 * that interval or shorter (every call passes through to the store below, as with {@code state.cache 0}), decided at
 * {@link #init} from the task's {@code commit.interval.ms} and logged there. A capacity the pipeline sets always holds.
 *
 * <p>Exactly-once: Kafka Streams asks a task's caches to flush before it flushes the task's producer and commits its
 * transaction ({@code StreamTask.prepareCommit}, the same hook as its own record cache), so every state changed since
 * the last commit is in the changelog of the transaction that commits the records that changed it: what the changelog
 * holds at a commit equals what this cache holds. A task closed without a commit (a crash, a fenced producer, a
 * corrupted task) drops the cache unwritten, as the transaction is aborted and the store restored from the
 * changelog; a store restored, recycled or re-initialised starts with an empty cache.
 *
 * <p>Contracts: values are the stream thread's own mutable {@link SeriesState}s: the state a {@link #get} returns is
 * the one held, and a caller that changes it must {@link #put} it back (the series processor does, for every accepted
 * observation; a refused one leaves the state untouched). Interactive queries (any thread other than the task's
 * stream thread) read the store below, that is the states as of the task's last commit, never the mutable ones held
 * here (the states as of the task's last commit, or a write-behind since). Scans ({@link #all}, {@link #range} and the
 * like) of the stream thread write the changed states first.
 */
public final class DecodedStateCache extends WrappedStateStore<KeyValueStore<String, SeriesState>, String, SeriesState>
        implements KeyValueStore<String, SeriesState> {

    /** Series held when the cache is on and the pipeline does not say how many. */
    public static final int DEFAULT_CAPACITY = 4096;

    /**
     * The capacity of a pipeline that does not set {@code state.cache}: {@link #DEFAULT_CAPACITY} series if the task
     * commits less often than every {@link #SHORT_COMMIT_MS}, no cache otherwise.
     */
    public static final int BY_COMMIT_INTERVAL = -1;

    /**
     * The longest commit interval, in ms, at which a cache the pipeline did not ask for is off. Measured with
     * {@code seqcast bench} at 2,000 observations/s of 10,000 series on a quiet machine (BENCHMARKS.md, 4 December,
     * 15:38 and 16:05 UTC): at the 100 ms default the cache gave 1.24x the throughput with the p99 at 1.04 to 1.09
     * times the engine's without a model step; at a 20 ms commit its p99 was 41 to 50 ms (ratio 1.26 to 1.36, target
     * 1.2) against 34 to 39 ms (1.04 to 1.06) without it, and at 10 ms its ratio was 1.17 to 1.38 against 1.11: when
     * commits come this often, the young collections that copy the states it holds cost the tail more than the reads
     * and decodes it saves.
     */
    public static final long SHORT_COMMIT_MS = 20;

    /** Kafka Streams' commit interval under exactly-once, for settings that do not hold one (tests). */
    private static final long STREAMS_COMMIT_MS = 100;

    private static final Logger log = LoggerFactory.getLogger(DecodedStateCache.class);

    /**
     * The longest a changed state stays unwritten without changing again before it is written behind: the delay of a
     * task committing every 100 ms (Kafka Streams' exactly-once default) or less often.
     */
    static final long WRITE_BEHIND_NANOS = 10_000_000L;

    /** The write-behind delay is the commit interval over this, at most {@link #WRITE_BEHIND_NANOS}. */
    private static final long COMMITS_PER_DELAY = 10;

    /** At most this many states written behind per change of a state. */
    private static final int WRITE_BEHIND_PER_PUT = 2;

    private final int capacity;
    /** Whether {@link #init} decides {@link #on} from the task's commit interval ({@link #BY_COMMIT_INTERVAL}). */
    private final boolean byCommitInterval;
    /** False: every call passes through to the store below, nothing is held. */
    private boolean on = true;

    private final Map<String, Held> held;
    /** The changed (dirty) states, least recently changed first. */
    private final LinkedHashMap<String, Held> changed = new LinkedHashMap<>(64, 0.75f, true);

    /** Negative until {@link #init} takes it from the task's commit interval, unless given. */
    private long writeBehindNanos;

    private final LongSupplier clock;
    private Thread owner;

    /** One series' state as held (changed since it was read or last written to the store when in {@link #changed}). */
    private static final class Held {
        SeriesState state;
        /** {@link #clock} at the last change. */
        long changedAt;

        Held(SeriesState state) {
            this.state = state;
        }
    }

    DecodedStateCache(KeyValueStore<String, SeriesState> store, int capacity) {
        this(store, capacity, -1, System::nanoTime);
    }

    /**
     * With the write-behind delay (negative: {@link #writeBehindNanos(Map)} of the task's settings at {@link #init})
     * and the clock ({@link System#nanoTime} in production) given, for tests. {@code capacity} is a number of series
     * or {@link #BY_COMMIT_INTERVAL}.
     */
    DecodedStateCache(
            KeyValueStore<String, SeriesState> store, int capacity, long writeBehindNanos, LongSupplier clock) {
        super(store);
        this.writeBehindNanos = writeBehindNanos;
        this.clock = clock;
        this.byCommitInterval = capacity == BY_COMMIT_INTERVAL;
        if (byCommitInterval) {
            capacity = DEFAULT_CAPACITY;
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("a decoded state cache holds at least 1 series, not " + capacity);
        }
        this.capacity = capacity;
        this.held = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                if (size() <= DecodedStateCache.this.capacity) {
                    return false;
                }
                if (changed.remove(eldest.getKey()) != null) {
                    wrapped().put(eldest.getKey(), eldest.getValue().state);
                }
                return true;
            }
        };
    }

    /**
     * {@code store} with a cache of {@code capacity} decoded series' states in front of it, or {@code store} itself when
     * {@code capacity} is 0; with {@link #BY_COMMIT_INTERVAL}, a cache that each task turns on or off at its start by
     * its commit interval.
     */
    public static StoreBuilder<KeyValueStore<String, SeriesState>> builder(
            StoreBuilder<KeyValueStore<String, SeriesState>> store, int capacity) {
        if (capacity < 0 && capacity != BY_COMMIT_INTERVAL) {
            throw new IllegalArgumentException("decoded state cache of " + capacity + " series");
        }
        return capacity == 0 ? store : new Builder(store, capacity);
    }

    /**
     * The write-behind delay for a task of these settings: a tenth of {@code commit.interval.ms}, at most
     * {@link #WRITE_BEHIND_NANOS} (which Kafka Streams' defaults, 100 ms under exactly-once and 30 s otherwise, give).
     */
    static long writeBehindNanos(Map<String, Object> appConfigs) {
        long ms = commitIntervalMs(appConfigs);
        long capped = Math.min(Math.max(0, ms), WRITE_BEHIND_NANOS / 1_000_000L * COMMITS_PER_DELAY); // no overflow
        return capped * 1_000_000L / COMMITS_PER_DELAY;
    }

    /**
     * The task's {@code commit.interval.ms}; Kafka Streams' default under exactly-once (100 ms) if the settings do not
     * hold it (a task's always do, Streams' defaults included).
     */
    static long commitIntervalMs(Map<String, Object> appConfigs) {
        Object commit = appConfigs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (commit == null) {
            return STREAMS_COMMIT_MS;
        }
        return commit instanceof Number n
                ? n.longValue()
                : Long.parseLong(commit.toString().trim());
    }

    /** Whether states are held (false: every call passes through to the store below). For tests. */
    boolean on() {
        return on;
    }

    /** The write-behind delay in use (once initialised). For tests. */
    long writeBehindNanos() {
        return writeBehindNanos;
    }

    /** Series held decoded now (changed or not). For tests. */
    int size() {
        return held.size();
    }

    /** States changed and not yet written. For tests. */
    int changedSize() {
        return changed.size();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        held.clear();
        changed.clear();
        owner = Thread.currentThread();
        if (writeBehindNanos < 0) {
            writeBehindNanos = writeBehindNanos(context.appConfigs());
        }
        long commitMs = commitIntervalMs(context.appConfigs());
        if (!byCommitInterval) {
            log.info(
                    "Task {}: decoded state cache of {} series in front of store {} (state.cache {}; commit interval"
                            + " {} ms)",
                    context.taskId(),
                    capacity,
                    name(),
                    capacity,
                    commitMs);
        } else if (commitMs > SHORT_COMMIT_MS) {
            on = true;
            log.info(
                    "Task {}: decoded state cache of {} series in front of store {} (state.cache not set; commit"
                            + " interval {} ms, above {} ms)",
                    context.taskId(),
                    capacity,
                    name(),
                    commitMs,
                    SHORT_COMMIT_MS);
        } else {
            on = false;
            log.info(
                    "Task {}: no decoded state cache, store {} used directly (state.cache not set; commit interval {}"
                            + " ms, at most {} ms: set state.cache to keep a cache)",
                    context.taskId(),
                    name(),
                    commitMs,
                    SHORT_COMMIT_MS);
        }
        super.init(context, root);
    }

    /** True on the task's stream thread (or the thread that opened the store, a test driver's). */
    private boolean mine() {
        Thread t = Thread.currentThread();
        return t == owner || t instanceof StreamThread;
    }

    /** Writes every state changed and not yet written to the store below (and so to its changelog). */
    private void writeChanged() {
        for (Map.Entry<String, Held> e : changed.entrySet()) {
            wrapped().put(e.getKey(), e.getValue().state);
        }
        changed.clear();
    }

    /** Writes up to {@link #WRITE_BEHIND_PER_PUT} of the states unchanged for {@link #writeBehindNanos}, oldest first. */
    private void writeBehind(long now) {
        Iterator<Map.Entry<String, Held>> it = changed.entrySet().iterator();
        for (int i = 0; i < WRITE_BEHIND_PER_PUT && it.hasNext(); i++) {
            Map.Entry<String, Held> e = it.next();
            if (now - e.getValue().changedAt < writeBehindNanos) {
                return;
            }
            wrapped().put(e.getKey(), e.getValue().state);
            it.remove();
        }
    }

    /** Called by Kafka Streams before a task's producer is flushed and its transaction committed. */
    @Override
    public void flushCache() {
        writeChanged();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        held.clear();
        changed.clear();
        super.clearCache();
    }

    @Override
    public void flush() {
        if (mine()) {
            writeChanged();
        }
        super.flush();
    }

    @Override
    public void close() {
        held.clear();
        changed.clear();
        super.close();
    }

    @Override
    public SeriesState get(String key) {
        if (!on || !mine()) {
            return wrapped().get(key);
        }
        Held h = held.get(key);
        if (h != null) {
            return h.state;
        }
        SeriesState stored = wrapped().get(key);
        if (stored != null) {
            held.put(key, new Held(stored));
        }
        return stored;
    }

    @Override
    public void put(String key, SeriesState value) {
        if (value == null) {
            delete(key);
            return;
        }
        if (!on) {
            wrapped().put(key, value);
            return;
        }
        Held h = held.get(key);
        if (h == null) {
            h = new Held(value);
            held.put(key, h);
        }
        long now = clock.getAsLong();
        h.state = value;
        h.changedAt = now;
        changed.put(key, h); // to the end: the most recently changed
        writeBehind(now);
    }

    @Override
    public SeriesState putIfAbsent(String key, SeriesState value) {
        SeriesState current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<String, SeriesState>> entries) {
        for (KeyValue<String, SeriesState> e : entries) {
            put(e.key, e.value);
        }
    }

    @Override
    public SeriesState delete(String key) {
        Held h = held.remove(key);
        changed.remove(key);
        SeriesState stored = wrapped().delete(key);
        return h != null ? h.state : stored;
    }

    @Override
    public KeyValueIterator<String, SeriesState> range(String from, String to) {
        if (mine()) {
            writeChanged();
        }
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, SeriesState> reverseRange(String from, String to) {
        if (mine()) {
            writeChanged();
        }
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, SeriesState> all() {
        if (mine()) {
            writeChanged();
        }
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, SeriesState> reverseAll() {
        if (mine()) {
            writeChanged();
        }
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P>
            KeyValueIterator<String, SeriesState> prefixScan(P prefix, PS prefixKeySerializer) {
        if (mine()) {
            writeChanged();
        }
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    /** Builds the store below as {@code store} does, with the cache in front. */
    private record Builder(StoreBuilder<KeyValueStore<String, SeriesState>> store, int capacity)
            implements StoreBuilder<KeyValueStore<String, SeriesState>> {

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withCachingEnabled() {
            return new Builder(store.withCachingEnabled(), capacity);
        }

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withCachingDisabled() {
            return new Builder(store.withCachingDisabled(), capacity);
        }

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withLoggingEnabled(Map<String, String> config) {
            return new Builder(store.withLoggingEnabled(config), capacity);
        }

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withLoggingDisabled() {
            return new Builder(store.withLoggingDisabled(), capacity);
        }

        @Override
        public KeyValueStore<String, SeriesState> build() {
            return new DecodedStateCache(store.build(), capacity);
        }

        @Override
        public Map<String, String> logConfig() {
            return store.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return store.loggingEnabled();
        }

        @Override
        public String name() {
            return store.name();
        }
    }
}
