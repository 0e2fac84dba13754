package io.seqcast.forecast;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.GapPolicy;
import io.seqcast.errors.Reason;
import io.seqcast.event.TimeText;
import io.seqcast.forecast.Outcome.Gap;
import io.seqcast.state.LegacyState;
import io.seqcast.state.SeriesState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;

/**
 * Time and gap policy: refuses an observation older than the series' last one ({@code late}) or at the same time
 * ({@code duplicate}); before one that comes after a gap (more than {@code gap-tolerance} intervals), feeds the model
 * its own one-step forecasts for the missing steps ({@code impute}, up to {@code max-impute-steps}) or resets the
 * series ({@code reset}). Keeps the series' clock and whether it is warming up.
 */
final class TimeStage implements Stage<Clock> {

    static final int TAG = 1;

    private final long intervalMs;
    private final double gapMs;
    private final GapPolicy gapPolicy;
    private final int maxImpute;
    private final int warmup;
    private final ForecastStage forecasts;
    private final double[] imputed;

    TimeStage(PipelineConfig pipeline, ForecastStage forecasts) {
        this.intervalMs = pipeline.sampling().interval().toMillis();
        this.gapMs = pipeline.sampling().gapTolerance() * intervalMs;
        this.gapPolicy = pipeline.sampling().gapPolicy();
        this.maxImpute = pipeline.sampling().maxImputeSteps();
        this.warmup = pipeline.anomaly().warmup();
        this.forecasts = forecasts;
        this.imputed = new double[pipeline.input().fields().features()];
    }

    @Override
    public Clock initial() {
        return new Clock();
    }

    @Override
    public boolean restartsSeries() {
        return true;
    }

    @Override
    public void observe(Step step, Clock clock) {
        SeriesState s = step.state();
        if (s.lastTime != Long.MIN_VALUE) {
            if (step.time < s.lastTime) {
                step.refuse(
                        Reason.LATE,
                        "event time " + TimeText.format(step.time)
                                + " is older than the series' last event time "
                                + TimeText.format(s.lastTime));
                return;
            }
            if (step.time == s.lastTime) {
                step.refuse(
                        Reason.DUPLICATE,
                        "event time " + TimeText.format(step.time) + " equals the series' last event time");
                return;
            }
            long dt = step.time - s.lastTime;
            if (dt > gapMs) {
                long missing = Math.round((double) dt / intervalMs) - 1;
                if (gapPolicy == GapPolicy.IMPUTE
                        && missing >= 1
                        && missing <= maxImpute
                        && impute(step, (int) missing)) {
                    step.gap = Gap.IMPUTED;
                    step.imputed = (int) missing;
                } else {
                    step.resetSeries();
                    step.gap = Gap.RESET;
                }
            }
        }
        step.warmingUp = clock.sinceReset < warmup;
        s.lastTime = step.time;
        s.count++;
    }

    /** Feeds {@code missing} imputed steps: each the freshest published forecast for it. False if there is none. */
    private boolean impute(Step step, int missing) {
        long last = step.state().lastTime;
        for (int i = 0; i < missing; i++) {
            if (!forecasts.freshest(step.state(), imputed)) {
                return false;
            }
            step.advance(imputed, last + (i + 1) * intervalMs);
        }
        return true;
    }

    @Override
    public void advance(Step step, Clock clock) {
        clock.sinceReset++;
    }

    @Override
    public void reset(Clock clock) {
        clock.sinceReset = 0;
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void write(Clock clock, StateOutput out) {
        out.signed(clock.sinceReset - out.count());
    }

    @Override
    public Clock read(StateInput in, int version) {
        Clock clock = new Clock();
        clock.sinceReset = in.count() + in.signed();
        return clock;
    }

    @Override
    public Clock upgrade(LegacyState old) {
        Clock clock = new Clock();
        clock.sinceReset = old.sinceReset;
        return clock;
    }
}
