package io.seqcast.topology;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.EventJson;
import io.seqcast.event.ForecastWriter;
import io.seqcast.event.ModelRef;
import io.seqcast.forecast.ModelRoutes;
import io.seqcast.forecast.Outcome.Accepted;
import io.seqcast.forecast.Outcome.Refused;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * is older than the expiry before the task's reference time. The reference is the highest median, taken at scans, of
 * the event times of the last {@link #RECENT} observations the task accepted (at least 3 of them; times after the
 * wall clock left out): moving it takes a majority of recent observations, so one record with an outlying time, far
 * in the future or a stray "now" amid replayed history, cannot expire every other series. Replayed history still
 * expires by its own clock. A series that comes back after a longer silence than the expiry starts afresh whether or
 * not the scan has deleted it yet, so outputs do not depend on when scans run.
 *
 * <p>The series held are counted exactly (a scan of the store when the task starts, then every insert and delete),
 * not from RocksDB's key estimate, which counts every overwrite still in the memtable.
 */
final class SeriesProcessor implements Processor<Object, Object, Object, Object> {

    /** How often a task reports the series and state bytes it holds to the metrics. */
    private static final Duration STATE_REPORT = Duration.ofSeconds(5);
    /** How often a task looks for series idle for longer than the pipeline's idle expiry. */
    static final Duration EXPIRY_SCAN = Duration.ofMinutes(1);
    /** How many of the latest accepted event times the expiry reference is the median of. */
    static final int RECENT = 9;
    /** One accepted state in this many is encoded to estimate the bytes per series. */
    private static final int SIZE_SAMPLE = 64;

    private static final Logger log = LoggerFactory.getLogger(SeriesProcessor.class);

    private final PipelineConfig pipeline;
    private final Names names;
    private final Supplier<SequenceModel> models;
    private final EngineMetrics metrics;
    private final Refusal refusal;
    private final SeriesStateSerde serde = new SeriesStateSerde();
    private final ForecastWriter forecastJson = new ForecastWriter();
    private SequenceModel served;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, SeriesState> store;
    private SeriesForecaster forecaster;
    /** The pipeline's {@code model.routes}, fixed at start-up. */
    private final ModelRoutes routes;
    /** A forecaster per route, each with its own copy of the route's model. */
    private SeriesForecaster[] routed;
    /** The route of each series seen by this task ({@link ModelRoutes#DEFAULT} for the default model). */
    private final Map<String, Integer> routeOf = new HashMap<>();

    private long idleMs;
    /** Event times (not after the wall clock) of the last {@link #RECENT} accepted observations, a ring. */
    private final long[] recent = new long[RECENT];

    private long accepted;
    /** Expiry's reference time: see the class comment. */
    private long reference = Long.MIN_VALUE;
    /** Series in the store, counted exactly. */
    private long held;
    /** Mean encoded bytes of the sampled series states. */
    private double meanBytes;

    private long sampled;
    private long writes;

    SeriesProcessor(PipelineConfig pipeline, Supplier<SequenceModel> models, EngineMetrics metrics, Refusal refusal) {
        this(pipeline, models, ModelRoutes.NONE, metrics, refusal);
    }

    /**
     * @param routes the models of the pipeline's {@code model.routes} (the first match serves a series; the others use
     *     {@code models}); the task refuses to start when they are not the pipeline's routes
     */
    SeriesProcessor(
            PipelineConfig pipeline,
            Supplier<SequenceModel> models,
            ModelRoutes routes,
            EngineMetrics metrics,
            Refusal refusal) {
        this.routes = routes;
        this.pipeline = pipeline;
        this.names = new Names(pipeline.name());
        this.models = models;
        this.metrics = metrics;
        this.refusal = refusal;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(names.store());
        metrics.declare(pipeline.name());
        if (routes.size() != pipeline.routes().size()) {
            throw new IllegalStateException("pipeline " + pipeline.name() + " has "
                    + pipeline.routes().size() + " model.routes but " + routes.size() + " routed models were given");
        }
        serve(models.get());
        routed = new SeriesForecaster[routes.size()];
        for (int i = 0; i < routed.length; i++) {
            routed[i] = new SeriesForecaster(pipeline, routes.model(i).copy());
        }
        try (KeyValueIterator<String, SeriesState> all = store.all()) {
            while (all.hasNext()) {
                SeriesState state = all.next().value;
                if (held++ % SIZE_SAMPLE == 0) {
                    sample(state);
                }
            }
        }
        if (sampled == 0) {
            sample(forecaster.initialState());
        }
        reportState();
        context.schedule(STATE_REPORT, PunctuationType.WALL_CLOCK_TIME, now -> reportState());
        this.idleMs = pipeline.idleExpiry().toMillis();
        context.schedule(EXPIRY_SCAN, PunctuationType.WALL_CLOCK_TIME, this::expireIdle);
    }

    private void sample(SeriesState state) {
        int bytes = serde.serialize(null, state).length;
        sampled++;
        meanBytes += (bytes - meanBytes) / Math.min(sampled, 1024);
    }

    private void reportState() {
        metrics.stateHeld(pipeline.name(), context.taskId().toString(), held, Math.round(held * meanBytes));
    }

    /** {@code later - earlier}, or {@link Long#MAX_VALUE} if it overflows (a time stored before times were checked). */
    private static long between(long earlier, long later) {
        try {
            return Math.subtractExact(later, earlier);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Switches to {@code model} (a hot swap, or the first model). Stored series keep their hidden state when the
     * architecture is the same; otherwise {@link SeriesForecaster#adopt} resets it as each series next arrives.
     */
    private void serve(SequenceModel model) {
        served = model;
        forecaster = new SeriesForecaster(pipeline, model.copy());
        metrics.modelServed(
                pipeline.name(), new ModelRef(model.info().name(), model.info().version()));
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
        boolean present = stored != null;
        if (stored != null && between(stored.lastTime, in.observation().time()) > idleMs) {
            // idle for longer than the expiry: forgotten, as the next scan would have done
            metrics.seriesExpired(pipeline.name(), 1);
            stored = null;
        }
        SeriesForecaster forecaster = forecasterOf(in.observation());
        SeriesState state = forecaster.adopt(stored);
        if (forecaster.warmedUp() && !routes.isEmpty()) {
            log.info(
                    "Series {} of pipeline {} warms up again: its state was stepped by another model than {} {}",
                    series,
                    pipeline.name(),
                    forecaster.modelRef().name(),
                    forecaster.modelRef().version());
        }
        long started = System.nanoTime();
        var outcome = forecaster.process(state, in.observation());
        metrics.stepped(pipeline.name(), System.nanoTime() - started);
        if (outcome instanceof Refused refused) {
            refusal.send(
                    context,
                    in.rawKey(),
                    in.rawValue(),
                    record.timestamp(),
                    record.headers(),
                    refused.reason(),
                    refused.detail());
            return;
        }
        Accepted accepted = (Accepted) outcome;
        store.put(series, state);
        if (!present) {
            held++;
        }
        if (writes++ % SIZE_SAMPLE == 0) {
            sample(state);
        }
        long time = in.observation().time();
        if (time <= context.currentSystemTimeMs()) {
            recent[(int) (this.accepted++ % RECENT)] = time;
        }
        metrics.accepted(pipeline.name(), accepted, record.timestamp());
        context.forward(
                record.withKey((Object) series).withValue(forecastJson.write(accepted.forecast())),
                names.forecastSink());
        if (accepted.alert() != null) {
            context.forward(
                    record.withKey((Object) series).withValue(EventJson.encode(accepted.alert())), names.alertSink());
        }
    }

    /**
     * The forecaster of the series of {@code o}: its route's, resolved at its first observation in this task and then
     * kept (a tag route reads the tags of that observation), or the default model's.
     */
    private SeriesForecaster forecasterOf(io.seqcast.event.Observation o) {
        if (routed.length == 0) {
            return forecaster;
        }
        Integer route = routeOf.get(o.series());
        if (route == null) {
            route = routes.resolve(o.series(), o.tags());
            routeOf.put(o.series(), route);
        }
        return route == ModelRoutes.DEFAULT ? forecaster : routed[route];
    }

    /** Deletes the series idle for longer than the expiry; see the class comment for the reference time. */
    private void expireIdle(long wallClock) {
        if (accepted >= 3) {
            int n = (int) Math.min(accepted, RECENT);
            long[] times = Arrays.copyOf(recent, n);
            Arrays.sort(times);
            reference = Math.max(reference, times[n / 2]);
        }
        if (reference == Long.MIN_VALUE || reference < Long.MIN_VALUE + idleMs) {
            return;
        }
        long cutoff = reference - idleMs;
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
        idle.forEach(routeOf::remove);
        held -= idle.size();
        reportState();
        metrics.seriesExpired(pipeline.name(), idle.size());
        log.info(
                "Expired {} series of pipeline {} idle for more than {} in task {}",
                idle.size(),
                pipeline.name(),
                pipeline.idleExpiry(),
                context.taskId());
    }
}
