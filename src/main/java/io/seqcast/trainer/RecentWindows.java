package io.seqcast.trainer;

import io.seqcast.event.Observation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recent observations of every series, bounded: at most {@code perSeries} observations per series (a ring:
 * the oldest is dropped) and at most {@code maxSeries} series (the series that sent nothing for longest is dropped).
 * Memory is at most {@code maxSeries * perSeries * 16} bytes of observations, whatever flows in.
 *
 * <p>As the engine does, an observation not newer than its series' last one (late or duplicate) is not kept. Only
 * the first value of each observation is kept: the trainer trains univariate models. Not thread-safe.
 */
public final class RecentWindows {

    private final int perSeries;
    private final int maxSeries;
    private final LinkedHashMap<String, Ring> series = new LinkedHashMap<>(16, 0.75f, true);
    private long refused;
    private long evicted;

    public RecentWindows(int perSeries, int maxSeries) {
        if (perSeries < 2 || maxSeries < 1) {
            throw new IllegalArgumentException("windows need at least 2 observations per series and 1 series; got "
                    + perSeries + " and " + maxSeries);
        }
        this.perSeries = perSeries;
        this.maxSeries = maxSeries;
    }

    /** Keeps {@code o} in its series' window; false (and counted) if it is not newer than the series' last one. */
    public boolean add(Observation o) {
        Ring ring = series.get(o.series());
        if (ring == null) {
            if (series.size() >= maxSeries) {
                Iterator<Map.Entry<String, Ring>> eldest = series.entrySet().iterator();
                eldest.next();
                eldest.remove();
                evicted++;
            }
            ring = new Ring(perSeries);
            series.put(o.series(), ring);
        }
        if (ring.size > 0 && o.time() <= ring.lastTime()) {
            refused++;
            return false;
        }
        ring.add(o.time(), o.values()[0]);
        return true;
    }

    /** A copy of every series' window, oldest observation first, in no particular order of series. */
    public List<SeriesWindow> snapshot() {
        List<SeriesWindow> out = new ArrayList<>(series.size());
        series.forEach((name, ring) -> out.add(ring.copy(name)));
        return out;
    }

    /** Series held now. */
    public int seriesCount() {
        return series.size();
    }

    /** Observations held now, over all series. */
    public long observationCount() {
        long n = 0;
        for (Ring r : series.values()) {
            n += r.size;
        }
        return n;
    }

    /** Observations not kept because they were not newer than their series' last one. */
    public long refused() {
        return refused;
    }

    /** Series dropped to stay within {@code maxSeries}. */
    public long evicted() {
        return evicted;
    }

    /**
     * One series' recent observations, oldest first.
     *
     * @param times event times, epoch milliseconds, increasing
     * @param values the observed values
     */
    public record SeriesWindow(String series, long[] times, double[] values) {

        public int size() {
            return values.length;
        }
    }

    private static final class Ring {
        final long[] times;
        final double[] values;
        int head;
        int size;

        Ring(int capacity) {
            times = new long[capacity];
            values = new double[capacity];
        }

        long lastTime() {
            return times[(head - 1 + times.length) % times.length];
        }

        void add(long time, double value) {
            times[head] = time;
            values[head] = value;
            head = (head + 1) % times.length;
            size = Math.min(size + 1, times.length);
        }

        SeriesWindow copy(String name) {
            long[] t = new long[size];
            double[] v = new double[size];
            int start = (head - size + times.length) % times.length;
            for (int i = 0; i < size; i++) {
                t[i] = times[(start + i) % times.length];
                v[i] = values[(start + i) % times.length];
            }
            return new SeriesWindow(name, t, v);
        }
    }
}
