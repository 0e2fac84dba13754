package io.seqcast.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The continual trainer's meters, for one pipeline. Prometheus renders them as {@code seqcast_trainer_runs_total
 * {pipeline,decision}}, {@code seqcast_trainer_champion_mase}, {@code seqcast_trainer_challenger_mase} (the last
 * run's held-back scores), {@code seqcast_trainer_drift_ratio} (the serving model's recent over long-run one-step
 * error, mean over series, at the last check), {@code seqcast_trainer_window_series} and
 * {@code seqcast_trainer_window_observations} (what the windows hold), {@code seqcast_trainer_observations_total
 * {pipeline,outcome}} (records read: kept, refused as late or duplicate, invalid), {@code
 * seqcast_trainer_run_seconds} and {@code seqcast_trainer_last_run_timestamp_seconds}.
 */
public final class TrainerMetrics {

    private final MeterRegistry registry;
    private final String pipeline;
    private final AtomicReference<Double> champion = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> challenger = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> drift = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> lastRun = new AtomicReference<>(Double.NaN);
    private final Counter kept;
    private final Counter refused;
    private final Counter invalid;
    private final Timer runTime;

    public TrainerMetrics(MeterRegistry registry, String pipeline, RecentWindows windows) {
        this.registry = registry;
        this.pipeline = pipeline;
        for (String d : new String[] {TrainerDecision.PUBLISHED, TrainerDecision.REFUSED, TrainerDecision.FAILED}) {
            runs(d);
        }
        Gauge.builder("seqcast.trainer.champion.mase", champion, AtomicReference::get)
                .description("Held-back MASE of the serving model at the last run, mean over judged series")
                .tag("pipeline", pipeline)
                .register(registry);
        Gauge.builder("seqcast.trainer.challenger.mase", challenger, AtomicReference::get)
                .description("Held-back MASE of the challenger at the last run, mean over judged series")
                .tag("pipeline", pipeline)
                .register(registry);
        Gauge.builder("seqcast.trainer.drift.ratio", drift, AtomicReference::get)
                .description("Serving model's recent one-step error over its longer-run error, mean over series")
                .tag("pipeline", pipeline)
                .register(registry);
        Gauge.builder("seqcast.trainer.last.run.timestamp", lastRun, AtomicReference::get)
                .description("When the last run decided, epoch seconds")
                .baseUnit("seconds")
                .tag("pipeline", pipeline)
                .register(registry);
        Gauge.builder("seqcast.trainer.window.series", windows, w -> w.seriesCount())
                .description("Series held in the trainer's recent windows")
                .tag("pipeline", pipeline)
                .register(registry);
        Gauge.builder("seqcast.trainer.window.observations", windows, w -> w.observationCount())
                .description("Observations held in the trainer's recent windows")
                .tag("pipeline", pipeline)
                .register(registry);
        kept = observations("kept");
        refused = observations("refused");
        invalid = observations("invalid");
        runTime = Timer.builder("seqcast.trainer.run")
                .description("Time of a run: training, judging, publishing")
                .tag("pipeline", pipeline)
                .register(registry);
    }

    private Counter runs(String decision) {
        return Counter.builder("seqcast.trainer.runs")
                .description("Continual trainer runs, by decision")
                .tags("pipeline", pipeline, "decision", decision)
                .register(registry);
    }

    private Counter observations(String outcome) {
        return Counter.builder("seqcast.trainer.observations")
                .description("Input records read by the continual trainer, by outcome")
                .tags("pipeline", pipeline, "outcome", outcome)
                .register(registry);
    }

    void kept() {
        kept.increment();
    }

    void refused() {
        refused.increment();
    }

    void invalid() {
        invalid.increment();
    }

    void drift(double ratio) {
        drift.set(ratio);
    }

    void decided(TrainerDecision d, Duration took) {
        runs(d.outcome()).increment();
        champion.set(d.championScore());
        challenger.set(d.challengerScore());
        lastRun.set(System.currentTimeMillis() / 1000.0);
        runTime.record(took);
    }

    /** Runs counted with {@code decision} so far. */
    public double runCount(String decision) {
        return runs(decision).count();
    }
}
