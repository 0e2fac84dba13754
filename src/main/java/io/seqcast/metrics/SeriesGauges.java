package io.seqcast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import java.util.function.ToDoubleFunction;

/** Latest values of one watched series. */
final class SeriesGauges {
    volatile double observed = Double.NaN;
    volatile double expected = Double.NaN;
    volatile double lower = Double.NaN;
    volatile double upper = Double.NaN;
    volatile double forecast = Double.NaN;
    volatile double score = Double.NaN;
    volatile double alert;

    SeriesGauges(MeterRegistry registry, String pipeline, String series) {
        Tags tags = Tags.of("pipeline", pipeline, "series", series);
        gauge(registry, "seqcast.series.observed", "Latest observed value of a watched series", tags, g -> g.observed);
        gauge(
                registry,
                "seqcast.series.expected",
                "Forecast made earlier for the latest observation",
                tags,
                g -> g.expected);
        gauge(
                registry,
                "seqcast.series.expected.lower",
                "Lower bound of the interval for the latest observation",
                tags,
                g -> g.lower);
        gauge(
                registry,
                "seqcast.series.expected.upper",
                "Upper bound of the interval for the latest observation",
                tags,
                g -> g.upper);
        gauge(
                registry,
                "seqcast.series.forecast",
                "Latest one-step-ahead forecast of a watched series",
                tags,
                g -> g.forecast);
        gauge(
                registry,
                "seqcast.series.anomaly.score",
                "Anomaly score of the latest observation, in [0,1]",
                tags,
                g -> g.score);
        gauge(
                registry,
                "seqcast.series.alert",
                "Open alert of a watched series: 0 none, 1 warning, 2 critical",
                tags,
                g -> g.alert);
    }

    private void gauge(
            MeterRegistry registry, String name, String description, Tags tags, ToDoubleFunction<SeriesGauges> f) {
        Gauge.builder(name, this, f)
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    void update(Forecast f, AnomalyAlert a) {
        observed = f.observed();
        ForecastStep e = f.expected();
        expected = e == null ? Double.NaN : e.value();
        lower = e == null ? Double.NaN : e.lower();
        upper = e == null ? Double.NaN : e.upper();
        forecast = f.steps().isEmpty() ? Double.NaN : f.steps().get(0).value();
        score = f.anomalyScore();
        if (a != null) {
            alert = a.lifecycle() == AnomalyAlert.Lifecycle.RESOLVED
                    ? 0
                    : a.severity() == AnomalyAlert.Severity.CRITICAL ? 2 : 1;
        }
    }
}
