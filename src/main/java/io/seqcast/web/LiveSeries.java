package io.seqcast.web;

import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.metrics.SeriesWatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the live page shows: the recent history of every watched series ({@link SeriesWatch}), fed with forecast and
 * alert events. Memory is bounded by the watch's capacity times {@link SeriesHistory#MAX_POINTS}.
 */
public final class LiveSeries {

    private final SeriesWatch watch;
    private final Map<String, SeriesHistory> histories = new ConcurrentHashMap<>();

    public LiveSeries(SeriesWatch watch) {
        this.watch = watch;
    }

    /** True if events of {@code series} are kept (and worth decoding). */
    public boolean watches(String series) {
        return watch.watches(series);
    }

    public void add(Forecast f) {
        if (watch.watches(f.series())) {
            history(f.series()).add(f);
        }
    }

    public void add(AnomalyAlert a) {
        if (watch.watches(a.series())) {
            history(a.series()).add(a);
        }
    }

    /** The watched series, with or without data yet. */
    public List<String> series() {
        return watch.series();
    }

    Optional<SeriesHistory.Snapshot> snapshot(String series) {
        SeriesHistory h = histories.get(series);
        return h == null ? Optional.empty() : Optional.of(h.snapshot());
    }

    private SeriesHistory history(String series) {
        SeriesHistory h = histories.get(series);
        return h != null ? h : histories.computeIfAbsent(series, SeriesHistory::new);
    }
}
