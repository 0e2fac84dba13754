package io.seqcast.trainer;

import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.InvalidRecordException;
import io.seqcast.event.Observation;
import io.seqcast.event.ObservationParser;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelPointer;
import io.seqcast.registry.ModelPublisher;
import io.seqcast.registry.PipelineModels;
import io.seqcast.trainer.RecentWindows.SeriesWindow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continual trainer of one pipeline: reads the pipeline's input topic (its own field mapping) from the start into
 * bounded {@link RecentWindows}, and on a schedule and/or when the serving model drifts runs a
 * {@link ChampionChallenger}; a challenger that wins is published to the models topic (every engine switches to it
 * without a restart). Every decision is recorded in the models topic ({@link ModelPublisher#decisionKey}), counted
 * in {@link TrainerMetrics} and logged in one line.
 *
 * <p>It reads without a consumer group (every partition assigned) and keeps nothing but the windows: a restart reads
 * the topic again, so the topic's retention bounds the catch-up. One thread: a run blocks reading, which catches up
 * after it.
 */
public final class ContinualTrainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContinualTrainer.class);

    /**
     * When runs happen.
     *
     * @param every a run at this interval after the previous scheduled one; null for none
     * @param driftFactor a run when the serving model's recent one-step error exceeds this multiple of its longer-run
     *     error (mean of the per-series ratios); 0 for none
     * @param driftRecent observations per series that count as recent
     * @param checkEvery how often drift is checked
     * @param cooldown at least this long between two drift-triggered runs, or after any run
     */
    public record Schedule(
            Duration every, double driftFactor, int driftRecent, Duration checkEvery, Duration cooldown) {

        public Schedule {
            if (every == null && driftFactor <= 0) {
                throw new IllegalArgumentException("a continual trainer needs a schedule (every) or a drift factor");
            }
            if (driftFactor > 0 && driftFactor <= 1) {
                throw new IllegalArgumentException("drift factor must be above 1 (or 0 for none), got " + driftFactor);
            }
        }
    }

    private final Properties client;
    private final String modelsTopic;
    private final PipelineConfig pipeline;
    private final ModelArtifact fileModel;
    private final RecentWindows windows;
    private final ChampionChallenger runner;
    private final TrainerMetrics metrics;
    private final ObservationParser parser;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ModelPublisher publisher;
    private volatile boolean caughtUp;

    public ContinualTrainer(
            Properties client,
            String modelsTopic,
            PipelineConfig pipeline,
            ModelArtifact fileModel,
            RecentWindows windows,
            ChampionChallenger runner,
            TrainerMetrics metrics) {
        WarmStart.horizonOf(fileModel.metadata()); // refuses what the trainer cannot retrain, naming it
        this.client = client;
        this.modelsTopic = modelsTopic;
        this.pipeline = pipeline;
        this.fileModel = fileModel;
        this.windows = windows;
        this.runner = runner;
        this.metrics = metrics;
        this.parser = new ObservationParser(pipeline.input().fields());
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        String topic = pipeline.input().topic();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("input topic '" + topic + "' of pipeline " + pipeline.name()
                    + " does not exist; start the engine with --create-topics or create it");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.publisher = new ModelPublisher(client, modelsTopic);
    }

    /** True once the input topic was read to the end it had when reading started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Reads the input topic up to its end at the time of the call. */
    public void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            poll(Duration.ofMillis(200));
        }
        caughtUp = true;
        log.info(
                "Pipeline {}: read {} to its end: {} series, {} observations in the windows",
                pipeline.name(),
                pipeline.input().topic(),
                windows.seriesCount(),
                windows.observationCount());
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            Observation o;
            try {
                o = parser.parse(r.key(), r.value());
            } catch (InvalidRecordException e) {
                metrics.invalid();
                continue;
            }
            if (windows.add(o)) {
                metrics.kept();
            } else {
                metrics.refused();
            }
        }
    }

    /** The artifact the pipeline serves now: the pointed-at version of the models topic, else the file's. */
    ModelArtifact champion(PipelineModels models) {
        ModelPointer pointer = models.pointer();
        if (pointer == null || pointer.active() == null) {
            return fileModel;
        }
        byte[] bytes = models.artifacts().get(pointer.active());
        if (bytes == null) {
            log.warn(
                    "Pipeline {}: the models topic points at version {} but holds no artifact for it; judging"
                            + " against the pipeline file's model",
                    pipeline.name(),
                    pointer.active());
            return fileModel;
        }
        try {
            return ModelArtifact.read(bytes);
        } catch (java.io.IOException | RuntimeException e) {
            log.warn(
                    "Pipeline {}: version {} in the models topic is unreadable ({}); judging against the pipeline"
                            + " file's model",
                    pipeline.name(),
                    pointer.active(),
                    e.getMessage());
            return fileModel;
        }
    }

    private PipelineModels models() {
        publisher.ensureTopic();
        return PipelineModels.read(client, modelsTopic, pipeline.name());
    }

    /** The serving model's drift ratio now (mean over series of recent over longer-run one-step error). */
    public double drift(int recent) {
        SequenceModel model = champion(models()).toSequenceModel();
        double sum = 0;
        int n = 0;
        for (SeriesWindow w : windows.snapshot()) {
            double r = HeldOutScore.driftRatio(model, w.values(), recent, Math.min(100, w.size() / 4));
            if (Double.isFinite(r)) {
                sum += r;
                n++;
            }
        }
        double ratio = n == 0 ? Double.NaN : sum / n;
        metrics.drift(ratio);
        return ratio;
    }

    /**
     * One run: trains a challenger on the windows, judges it against the serving model, publishes it if it wins, and
     * records, counts and logs the decision.
     */
    public TrainerDecision runOnce(String trigger) {
        long start = System.nanoTime();
        PipelineModels models = models();
        ModelArtifact champion = champion(models);
        String version = models.nextVersion(champion.metadata().version());
        ChampionChallenger.Outcome outcome =
                runner.run(pipeline.name(), trigger, windows.snapshot(), champion, version);
        TrainerDecision decision = outcome.decision();
        if (outcome.challenger() != null) {
            try {
                publisher.publish(pipeline.name(), outcome.challenger().toBytes(), pipeline);
            } catch (java.io.IOException | RuntimeException e) {
                decision = new TrainerDecision(
                        decision.pipeline(),
                        decision.decidedAt(),
                        decision.trigger(),
                        TrainerDecision.FAILED,
                        "won but could not be published: " + e.getMessage(),
                        decision.rule(),
                        decision.champion(),
                        decision.challenger(),
                        decision.championScore(),
                        decision.challengerScore(),
                        decision.judged(),
                        decision.trainingObservations(),
                        decision.heldBackObservations(),
                        decision.from(),
                        decision.to(),
                        decision.series());
            }
        }
        publisher.recordDecision(pipeline.name(), version, decision.toJson());
        metrics.decided(decision, Duration.ofNanos(System.nanoTime() - start));
        log.info(decision.summary());
        return decision;
    }

    /**
     * Catches up, then reads and runs by the schedule until {@code stop} says so.
     */
    public void run(Schedule schedule, BooleanSupplier stop) {
        catchUp();
        boolean scheduled = schedule.every() != null;
        boolean watchDrift = schedule.driftFactor() > 0;
        long now = System.nanoTime();
        long nextScheduled = scheduled ? now + schedule.every().toNanos() : 0;
        long nextCheck = watchDrift ? now + schedule.checkEvery().toNanos() : 0;
        long lastRun = now - schedule.cooldown().toNanos();
        while (!stop.getAsBoolean()) {
            poll(Duration.ofMillis(500));
            now = System.nanoTime();
            try {
                if (scheduled && now - nextScheduled >= 0) {
                    nextScheduled = now + schedule.every().toNanos();
                    lastRun = now;
                    runOnce("schedule");
                } else if (watchDrift && now - nextCheck >= 0) {
                    nextCheck = now + schedule.checkEvery().toNanos();
                    double ratio = drift(schedule.driftRecent());
                    if (ratio > schedule.driftFactor()
                            && now - lastRun >= schedule.cooldown().toNanos()) {
                        log.info(
                                "Pipeline {}: drift ratio {} above {}: retraining",
                                pipeline.name(),
                                String.format(java.util.Locale.ROOT, "%.2f", ratio),
                                schedule.driftFactor());
                        lastRun = now;
                        runOnce("drift");
                    }
                }
            } catch (RuntimeException e) {
                // Kafka unreachable for a while, for instance: the champion keeps serving; the next run tries again
                log.error(
                        "Pipeline {}: run failed ({}); the serving model is unchanged",
                        pipeline.name(),
                        e.getMessage(),
                        e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        publisher.close();
    }
}
