package io.seqcast.bench;

import io.seqcast.state.SeriesState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A benchmark bound, not a store anyone should run: the series' states held on the heap only, as the objects the
 * series processor steps, in a hash map. Nothing is encoded, written to RocksDB or sent to a changelog, and nothing
 * survives the task: what a run with it measures is the engine with the whole cost of persisting its state removed,
 * the ceiling of any persistence design (a snapshot every K records lands between it and the declared store).
 *
 * <p>Only what the series processor uses is served: {@link #get}, {@link #put}, {@link #delete} and {@link #all} (its
 * start-up count and idle expiry scan). Ranges are refused.
 */
final class HeapSeriesStore implements KeyValueStore<String, SeriesState> {

    private final String name;
    private final Map<String, SeriesState> states = new HashMap<>();
    private boolean open;

    HeapSeriesStore(String name) {
        this.name = name;
    }

    /** Builds a {@link HeapSeriesStore} named as {@code declared}, in its place: never logged, never cached. */
    static StoreBuilder<KeyValueStore<String, SeriesState>> instead(
            StoreBuilder<KeyValueStore<String, SeriesState>> declared) {
        return new Builder(declared.name());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // not logged: nothing is ever restored into it
        context.register(root, (key, value) -> {
            throw new IllegalStateException("the heap-only bench store " + name + " has no changelog to restore");
        });
        open = true;
    }

    @Override
    public void close() {
        states.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public SeriesState get(String key) {
        return states.get(key);
    }

    @Override
    public void put(String key, SeriesState value) {
        if (value == null) {
            states.remove(key);
        } else {
            states.put(key, value);
        }
    }

    @Override
    public SeriesState putIfAbsent(String key, SeriesState value) {
        SeriesState current = states.get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<String, SeriesState>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public SeriesState delete(String key) {
        return states.remove(key);
    }

    @Override
    public KeyValueIterator<String, SeriesState> range(String from, String to) {
        throw new UnsupportedOperationException("the heap-only bench store " + name + " serves no ranges");
    }

    /** A copy of the entries as they are now: the caller may delete while iterating. */
    @Override
    public KeyValueIterator<String, SeriesState> all() {
        List<KeyValue<String, SeriesState>> copy = new ArrayList<>(states.size());
        states.forEach((k, v) -> copy.add(KeyValue.pair(k, v)));
        Iterator<KeyValue<String, SeriesState>> it = copy.iterator();
        return new KeyValueIterator<>() {
            private KeyValue<String, SeriesState> next = it.hasNext() ? it.next() : null;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public KeyValue<String, SeriesState> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                KeyValue<String, SeriesState> current = next;
                next = it.hasNext() ? it.next() : null;
                return current;
            }

            @Override
            public String peekNextKey() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                return next.key;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public long approximateNumEntries() {
        return states.size();
    }

    private record Builder(String name) implements StoreBuilder<KeyValueStore<String, SeriesState>> {

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("the heap-only bench store " + name + " is never logged");
        }

        @Override
        public StoreBuilder<KeyValueStore<String, SeriesState>> withLoggingDisabled() {
            return this;
        }

        @Override
        public KeyValueStore<String, SeriesState> build() {
            return new HeapSeriesStore(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }
    }
}
