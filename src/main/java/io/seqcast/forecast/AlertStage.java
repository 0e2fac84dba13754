package io.seqcast.forecast;

import io.seqcast.anomaly.AlertState;
import io.seqcast.anomaly.AlertTracker;
import io.seqcast.config.PipelineConfig;
import io.seqcast.state.LegacyState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;

/**
 * The alert lifecycle ({@link AlertTracker}): opens, updates or resolves the series' alert by the observation's score;
 * its events carry the observation's tags.
 *
 * <p>Section versions: 2 (written) adds the kind of the open alert; 1, without it, is read as {@code residual}
 * (those builds did not record the kind).
 */
final class AlertStage implements Stage<AlertState> {

    static final int TAG = 8;

    private final AlertTracker tracker;

    AlertStage(PipelineConfig pipeline) {
        this.tracker = new AlertTracker(pipeline.name(), pipeline.anomaly());
    }

    @Override
    public AlertState initial() {
        return new AlertState();
    }

    @Override
    public void observe(Step step, AlertState alert) {
        step.alert = tracker.observe(
                alert,
                step.observation.series(),
                step.time,
                step.x,
                step.expected,
                step.score,
                step.warmingUp,
                step.model,
                step.observation.tags());
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public int version() {
        return 2;
    }

    /**
     * Nothing while no alert is open; else its opening time relative to the series' last event time, its severity,
     * peak score, normal streak and kind.
     */
    @Override
    public void write(AlertState a, StateOutput out) {
        if (a.open()) {
            out.signed(out.lastTime() - a.openedAt)
                    .putByte(a.severity)
                    .putDouble(a.peakScore)
                    .varint(a.normalStreak)
                    .putByte(a.kind);
        }
    }

    @Override
    public AlertState read(StateInput in, int version) {
        AlertState a = new AlertState();
        if (in.hasRemaining()) {
            a.openedAt = in.lastTime() - in.signed();
            a.severity = in.getByte();
            a.peakScore = in.getDouble();
            a.normalStreak = (int) in.varint();
            if (version >= 2) {
                a.kind = in.getByte();
            }
        }
        return a;
    }

    @Override
    public AlertState upgrade(LegacyState old) {
        AlertState a = new AlertState();
        a.openedAt = old.alertOpenedAt;
        a.severity = old.alertSeverity;
        a.peakScore = old.alertPeakScore;
        a.normalStreak = old.alertNormalStreak;
        return a;
    }
}
