package io.seqcast.anomaly;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.AnomalyAlert.Lifecycle;
import io.seqcast.event.AnomalyAlert.Severity;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import java.util.Map;

/**
 * The alert lifecycle of one series: at most one open alert; opened when the score crosses its threshold
 * ({@link AnomalyScore#alarming}; never while warming up), updated only when it worsens (higher severity, or ten times
 * less likely than its peak so far: repeats are suppressed), resolved after {@code resolve-after} consecutive normal
 * observations. Every event names the kind of anomaly (for resolved: the kind it opened with), the threshold crossed
 * and the tags of the observation that caused it.
 */
public final class AlertTracker {

    private final String pipeline;
    private final PipelineConfig.AnomalySettings settings;

    public AlertTracker(String pipeline, PipelineConfig.AnomalySettings settings) {
        this.pipeline = pipeline;
        this.settings = settings;
    }

    /**
     * Advances the series' alert by one scored observation.
     *
     * @return the alert event this observation causes, or null
     */
    public AnomalyAlert observe(
            AlertState state,
            String series,
            long time,
            double observed,
            ForecastStep expected,
            AnomalyScore score,
            boolean warmingUp,
            ModelRef model,
            Map<String, String> tags) {
        boolean abnormal = !warmingUp && expected != null && score.alarming();
        Severity severity = score.tail() <= settings.criticalRate() ? Severity.CRITICAL : Severity.WARNING;
        if (!state.open()) {
            if (!abnormal) {
                return null;
            }
            state.openedAt = time;
            state.severity = (byte) severity.ordinal();
            state.peakScore = score.score();
            state.normalStreak = 0;
            state.kind = (byte) score.kind().ordinal();
            return alert(
                    state,
                    series,
                    time,
                    Lifecycle.OPENED,
                    severity,
                    observed,
                    expected,
                    score,
                    model,
                    tags,
                    score.kind());
        }
        if (abnormal) {
            state.normalStreak = 0;
            Severity current = Severity.values()[state.severity];
            double peakSurprise = state.peakScore * AnomalyScore.SCALE;
            boolean worse = severity.ordinal() > current.ordinal() || score.surprise() >= peakSurprise + 1;
            if (score.score() > state.peakScore) {
                state.peakScore = score.score();
            }
            if (!worse) {
                return null;
            }
            state.severity = (byte) Math.max(current.ordinal(), severity.ordinal());
            return alert(
                    state,
                    series,
                    time,
                    Lifecycle.UPDATED,
                    Severity.values()[state.severity],
                    observed,
                    expected,
                    score,
                    model,
                    tags,
                    score.kind());
        }
        state.normalStreak++;
        if (state.normalStreak < settings.resolveAfter()) {
            return null;
        }
        AnomalyAlert resolved = alert(
                state,
                series,
                time,
                Lifecycle.RESOLVED,
                Severity.values()[state.severity],
                observed,
                expected,
                score,
                model,
                tags,
                AnomalyKind.values()[state.kind]);
        state.openedAt = Long.MIN_VALUE;
        state.normalStreak = 0;
        state.peakScore = 0;
        state.severity = 0;
        state.kind = 0;
        return resolved;
    }

    private AnomalyAlert alert(
            AlertState state,
            String series,
            long time,
            Lifecycle lifecycle,
            Severity severity,
            double observed,
            ForecastStep expected,
            AnomalyScore score,
            ModelRef model,
            Map<String, String> tags,
            AnomalyKind kind) {
        return new AnomalyAlert(
                series + "@" + state.openedAt,
                series,
                pipeline,
                time,
                state.openedAt,
                lifecycle,
                severity,
                kind,
                score.threshold(),
                observed,
                expected,
                score.score(),
                state.peakScore,
                model,
                tags);
    }
}
