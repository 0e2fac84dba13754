package io.seqcast.web;

import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The recent past of one watched series, for the live page: its last {@link #MAX_POINTS} observations with the
 * forecast made for each and its anomaly score, the forecast of the next steps made at the latest one, and its last
 * {@link #MAX_ALERTS} alert events. Bounded; thread-safe.
 */
final class SeriesHistory {

    static final int MAX_POINTS = 500;
    static final int MAX_ALERTS = 50;

    /** One observation as the page draws it; {@code expected*} are NaN when there was no forecast for it. */
    record Point(
            long time, double observed, double expected, double lower, double upper, double score, boolean warmingUp) {}

    /** A consistent copy of a history. */
    record Snapshot(
            String series,
            String pipeline,
            ModelRef model,
            double coverage,
            List<Point> points,
            List<ForecastStep> ahead,
            List<AnomalyAlert> alerts,
            long updates) {}

    private final String series;
    private final Deque<Point> points = new ArrayDeque<>();
    private final Deque<AnomalyAlert> alerts = new ArrayDeque<>();
    private String pipeline;
    private ModelRef model;
    private double coverage = Double.NaN;
    private List<ForecastStep> ahead = List.of();
    private long updates;

    SeriesHistory(String series) {
        this.series = series;
    }

    synchronized void add(Forecast f) {
        if (!points.isEmpty() && f.time() <= points.peekLast().time()) {
            return; // a replay of what is already held (restart, rebalance)
        }
        ForecastStep e = f.expected();
        points.addLast(new Point(
                f.time(),
                f.observed(),
                e == null ? Double.NaN : e.value(),
                e == null ? Double.NaN : e.lower(),
                e == null ? Double.NaN : e.upper(),
                f.anomalyScore(),
                f.warmingUp()));
        if (points.size() > MAX_POINTS) {
            points.removeFirst();
        }
        pipeline = f.pipeline();
        model = f.model();
        coverage = f.coverage();
        ahead = f.steps();
        updates++;
    }

    synchronized void add(AnomalyAlert a) {
        if (alerts.stream()
                .anyMatch(x ->
                        x.alertId().equals(a.alertId()) && x.time() == a.time() && x.lifecycle() == a.lifecycle())) {
            return;
        }
        alerts.addLast(a);
        if (alerts.size() > MAX_ALERTS) {
            alerts.removeFirst();
        }
        updates++;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(
                series, pipeline, model, coverage, new ArrayList<>(points), ahead, new ArrayList<>(alerts), updates);
    }
}
