package io.seqcast.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bounded set of series watched one by one: exported as per-series gauges and shown on the live page. Either
 * the series named in {@code metrics.series}, or the first {@code metrics.series.max} series seen. Bounded either
 * way, so that a million series cannot explode the label cardinality. Thread-safe; {@link #watches} is a set read
 * once the set is full.
 */
public final class SeriesWatch {

    private final Set<String> named;
    private final int max;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final Set<String> order = new LinkedHashSet<>();

    private SeriesWatch(List<String> named, int max) {
        this.named = Set.copyOf(new LinkedHashSet<>(named));
        this.max = max;
        this.order.addAll(named);
    }

    /** Watches {@code named} if not empty, otherwise the first {@code max} series seen. */
    public static SeriesWatch of(List<String> named, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, was " + max);
        }
        return new SeriesWatch(named, max);
    }

    /** Watches nothing. */
    public static SeriesWatch none() {
        return of(List.of(), 0);
    }

    /** True if {@code series} is watched; in first-seen mode, claims it while there is room. */
    public boolean watches(String series) {
        if (!named.isEmpty()) {
            return named.contains(series);
        }
        if (claimed.contains(series)) {
            return true;
        }
        if (claimed.size() >= max) {
            return false;
        }
        synchronized (order) {
            if (claimed.size() >= max) {
                return claimed.contains(series);
            }
            order.add(series);
            claimed.add(series);
            return true;
        }
    }

    /** The watched series, named ones in their order, first-seen ones in the order they were seen. */
    public List<String> series() {
        synchronized (order) {
            return List.copyOf(new ArrayList<>(order));
        }
    }

    /** How many series can be watched at most. */
    public int capacity() {
        return named.isEmpty() ? max : named.size();
    }
}
