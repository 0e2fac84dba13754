package io.seqcast.topology;

import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetters;
import io.seqcast.event.EventJson;
import io.seqcast.event.ModelRef;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.forecast.Outcome.Accepted;
import io.seqcast.forecast.Outcome.Refused;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-series step: reads the series' state from the changelogged store (absent is the initial state), advances
 * it by one observation, writes it back, and forwards the forecast, the alert if any, or the refused record to the
 * dead-letter sink. Under exactly-once the state write and the outputs are committed together.
 *
 * <p>Series that stop sending are forgotten after the pipeline's {@link PipelineConfig#idleExpiry() idle expiry},
 * measured in event time: every {@link #EXPIRY_SCAN} (wall clock) the task deletes the series whose last observation
 * is older than the expiry before the newest observation the task has accepted. Observations stamped after the
 * wall clock do not count as newest, so that one record from the far future cannot expire every series; replayed
 * history still expires by its own clock. A series that comes back after a longer silence than
 * the expiry starts afresh whether or not the scan has deleted it yet, so outputs do not depend on when scans run.
 */
final class SeriesProcessor implements Processor<Object, Object, Object, Object> {

    /** How often a task reports the series and state bytes it holds to the metrics. */
    private static final Duration STATE_REPORT = Duration.ofSeconds(5);
    /** How often a task looks for series idle for longer than the pipeline's idle expiry. */
    static final Duration EXPIRY_SCAN = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(SeriesProcessor.class);

    private final PipelineConfig pipeline;
    private final Names names;
    private final Supplier<SequenceModel> models;
    private final EngineMetrics metrics;
    private SequenceModel served;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, SeriesState> store;
    private SeriesForecaster forecaster;
    private long idleMs;
    /** Newest event time, not after the wall clock, accepted by this task since it started: expiry's reference. */
    private long newestEventTime = Long.MIN_VALUE;

    SeriesProcessor(PipelineConfig pipeline, Supplier<SequenceModel> models, EngineMetrics metrics) {
        this.pipeline = pipeline;
        this.names = new Names(pipeline.name());
        this.models = models;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(names.store());
        metrics.declare(pipeline.name());
        serve(models.get());
        long stateBytes = new SeriesStateSerde().serialize(null, forecaster.initialState()).length;
        context.schedule(STATE_REPORT, PunctuationType.WALL_CLOCK_TIME, now -> {
            long held = store.approximateNumEntries();
            metrics.stateHeld(pipeline.name(), context.taskId().toString(), held, held * stateBytes);
        });
        this.idleMs = pipeline.idleExpiry().toMillis();
        context.schedule(EXPIRY_SCAN, PunctuationType.WALL_CLOCK_TIME, this::expireIdle);
    }

    /**
     * Switches to {@code model} (a hot swap, or the first model). Stored series keep their hidden state when the
     * architecture is the same; otherwise {@link SeriesForecaster#adopt} resets it as each series next arrives.
     */
    private void serve(SequenceModel model) {
        served = model;
        forecaster = new SeriesForecaster(pipeline, model.copy());
        metrics.modelServed(pipeline.name(), new ModelRef(model.info().name(), model.info().version()));
    }

    @Override
    public void close() {
        metrics.stateReleased(pipeline.name(), context.taskId().toString());
    }

    @Override
    public void process(Record<Object, Object> record) {
        Inbound in = (Inbound) record.value();
        String series = in.observation().series();
        SequenceModel current = models.get();
        if (current != served) {
            serve(current);
        }
        SeriesState stored = store.get(series);
        if (stored != null && in.observation().time() - stored.lastTime > idleMs) {
            // idle for longer than the expiry: forgotten, as the next scan would have done
            metrics.seriesExpired(pipeline.name(), 1);
            stored = null;
        }
        SeriesState state = forecaster.adopt(stored);
        long started = System.nanoTime();
        var outcome = forecaster.process(state, in.observation());
        metrics.stepped(pipeline.name(), System.nanoTime() - started);
        if (outcome instanceof Refused refused) {
            metrics.deadLettered(pipeline.name(), refused.reason());
            context.forward(
                    new Record<Object, Object>(in.rawKey(), in.rawValue(), record.timestamp(),
                            DeadLetters.headers(record.headers(), pipeline.name(), refused.reason(), refused.detail(),
                                    context.recordMetadata().orElse(null))),
                    names.deadLetterSink());
            return;
        }
        Accepted accepted = (Accepted) outcome;
        store.put(series, state);
        if (in.observation().time() <= context.currentSystemTimeMs()) {
            newestEventTime = Math.max(newestEventTime, in.observation().time());
        }
        metrics.accepted(pipeline.name(), accepted, record.timestamp());
        context.forward(record.withKey((Object) series).withValue(EventJson.encode(accepted.forecast())),
                names.forecastSink());
        if (accepted.alert() != null) {
            context.forward(record.withKey((Object) series).withValue(EventJson.encode(accepted.alert())),
                    names.alertSink());
        }
    }

    /** Deletes the series idle for longer than the expiry; see the class comment for the reference time. */
    private void expireIdle(long wallClock) {
        if (newestEventTime == Long.MIN_VALUE) {
            return;
        }
        long cutoff = newestEventTime - idleMs;
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, SeriesState> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (entry.value.lastTime < cutoff) {
                    idle.add(entry.key);
                }
            }
        }
        if (idle.isEmpty()) {
            return;
        }
        idle.forEach(store::delete);
        metrics.seriesExpired(pipeline.name(), idle.size());
        log.info("Expired {} series of pipeline {} idle for more than {} in task {}", idle.size(), pipeline.name(),
                pipeline.idleExpiry(), context.taskId());
    }
}
