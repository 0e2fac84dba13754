package io.seqcast.event;

import io.seqcast.anomaly.AnomalyKind;
import java.util.Map;

/**
 * An anomaly alert. At most one alert is open per series; it is {@link Lifecycle#OPENED opened} when the anomaly
 * score crosses the pipeline's threshold, {@link Lifecycle#UPDATED updated} when it worsens, and
 * {@link Lifecycle#RESOLVED resolved} once the series is back to normal.
 *
 * @param alertId stable id of the alert across its lifecycle: {@code series@openedAt}
 * @param series series id
 * @param pipeline pipeline name
 * @param time event time of the observation that caused this event, epoch milliseconds
 * @param openedAt event time at which the alert opened
 * @param lifecycle opened, updated or resolved
 * @param severity severity at this event (for resolved: the peak severity)
 * @param kind why: residual, level, quiet or broken cycle (for resolved: the kind it opened with)
 * @param threshold the score threshold crossed (for resolved: the one the score is now below), in [0,1]
 * @param observed observed value
 * @param expected expected (forecast) value, with its interval
 * @param anomalyScore score of this observation, in [0,1]
 * @param peakScore highest score since the alert opened
 * @param model the model that made the expectation
 * @param tags the tags of the observation that caused this event (empty when it had none)
 */
public record AnomalyAlert(
        String alertId,
        String series,
        String pipeline,
        long time,
        long openedAt,
        Lifecycle lifecycle,
        Severity severity,
        AnomalyKind kind,
        double threshold,
        double observed,
        ForecastStep expected,
        double anomalyScore,
        double peakScore,
        ModelRef model,
        Map<String, String> tags) {

    public AnomalyAlert {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Where an alert is in its life. */
    public enum Lifecycle {
        OPENED,
        UPDATED,
        RESOLVED
    }

    /** How far outside its expected range the series went. */
    public enum Severity {
        WARNING,
        CRITICAL
    }
}
