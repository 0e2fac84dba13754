package io.seqcast.topology;

import io.seqcast.classify.EcgStateSerde;
import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetterLimits;
import io.seqcast.event.ObservationParser;
import io.seqcast.event.TimeWindow;
import io.seqcast.forecast.ModelRoutes;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.DecodedStateCache;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the Kafka Streams {@link Topology} of one or many pipelines: a pure function of the pipeline declarations.
 * Per pipeline:
 *
 * <pre>
 *   input topic ──► parse ──► series-step [series-state store, changelogged] ──► forecasts topic
 *                     │              │                                        └─► alerts topic
 *                     └──────────────┴──► dead-letter topic
 * </pre>
 *
 * Every source, processor, store and sink is named ({@link Names}) so that state survives edits of the topology.
 */
public final class TopologyFactory {

    private TopologyFactory() {}

    /**
     * @param models the model of each pipeline (each stream task takes its own {@link SequenceModel#copy()})
     */
    public static Topology build(
            List<PipelineConfig> pipelines, Function<PipelineConfig, SequenceModel> models, EngineMetrics metrics) {
        return serving(
                pipelines,
                p -> {
                    SequenceModel model = models.apply(p);
                    return () -> model;
                },
                metrics);
    }

    /**
     * Like {@link #build}, for models that may change while running (hot swap): the series processor reads the
     * pipeline's supplier before every record and switches when it returns another model.
     */
    public static Topology serving(
            List<PipelineConfig> pipelines,
            Function<PipelineConfig, Supplier<SequenceModel>> models,
            EngineMetrics metrics) {
        return serving(pipelines, models, metrics, TimeWindow.DEFAULT, DeadLetterLimits.defaults());
    }

    /**
     * Like {@link #serving(List, Function, EngineMetrics)}, with the engine's time window (event times outside it are
     * refused) and dead-letter limits (dead letters are cut to fit them).
     */
    public static Topology serving(
            List<PipelineConfig> pipelines,
            Function<PipelineConfig, Supplier<SequenceModel>> models,
            EngineMetrics metrics,
            TimeWindow window,
            DeadLetterLimits limits) {
        return serving(pipelines, models, p -> ModelRoutes.NONE, metrics, window, limits, UnaryOperator.identity());
    }

    /**
     * Like {@link #serving(List, Function, EngineMetrics, TimeWindow, DeadLetterLimits)}, with the models of each
     * pipeline's {@code model.routes} (fixed: only the default model is hot-swapped), and each series store built by
     * {@code seriesStore} applied to the builder the pipeline declares: {@link UnaryOperator#identity()} everywhere but
     * {@code seqcast bench}, whose bounds of what persisting the series' states costs pass the store unlogged or the
     * states on the heap only.
     *
     * @throws IllegalStateException (when a task starts) if a pipeline's routes are not all given
     */
    public static Topology serving(
            List<PipelineConfig> pipelines,
            Function<PipelineConfig, Supplier<SequenceModel>> models,
            Function<PipelineConfig, ModelRoutes> routes,
            EngineMetrics metrics,
            TimeWindow window,
            DeadLetterLimits limits,
            UnaryOperator<StoreBuilder<KeyValueStore<String, SeriesState>>> seriesStore) {
        Topology topology = new Topology();
        for (PipelineConfig p : pipelines) {
            add(topology, p, models.apply(p), routes.apply(p), metrics, window, limits, seriesStore);
        }
        return topology;
    }

    /**
     * The description of one pipeline's topology, as kept in {@code topology/<pipeline>.topology.txt}. Needs no
     * model: the description is the graph of named nodes and stores.
     */
    public static String describe(PipelineConfig pipeline) {
        return build(List.of(pipeline), p -> null, EngineMetrics.inMemory())
                .describe()
                .toString();
    }

    /** The file that keeps {@link #describe the description} of a pipeline declared in {@code pipelineFile}. */
    public static java.nio.file.Path descriptionFile(PipelineConfig pipeline) {
        return pipeline.source().resolveSibling(pipeline.name() + ".topology.txt");
    }

    private static void add(
            Topology topology,
            PipelineConfig p,
            Supplier<SequenceModel> model,
            ModelRoutes routes,
            EngineMetrics metrics,
            TimeWindow window,
            DeadLetterLimits limits,
            UnaryOperator<StoreBuilder<KeyValueStore<String, SeriesState>>> seriesStore) {
        Names n = new Names(p.name());
        ObservationParser parser = new ObservationParser(p.input().fields());
        Refusal refusal = new Refusal(p.name(), p.output().deadLetter(), n.deadLetterSink(), limits, metrics);
        topology.addSource(
                n.source(),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                p.input().topic());
        String next = p.mode() == PipelineConfig.Mode.CLASSIFY
                ? n.classify()
                : p.mode() == PipelineConfig.Mode.ECG ? n.beats() : n.step();
        topology.addProcessor(
                n.parse(),
                () -> new ParseProcessor(
                        p.name(), next, parser, p.input().fields().time(), window, refusal, metrics),
                n.source());
        if (p.mode() == PipelineConfig.Mode.ECG) {
            topology.addProcessor(n.beats(), () -> new EcgProcessor(p, model, metrics, refusal), n.parse());
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                                    Stores.persistentKeyValueStore(n.ecgStore()), Serdes.String(), new EcgStateSerde())
                            .withLoggingEnabled(Map.of()),
                    n.beats());
            topology.addSink(
                    n.classificationSink(),
                    p.output().classifications(),
                    new StringSerializer(),
                    new ByteArraySerializer(),
                    n.beats());
            topology.addSink(
                    n.deadLetterSink(),
                    p.output().deadLetter(),
                    new ByteArraySerializer(),
                    new ByteArraySerializer(),
                    n.parse(),
                    n.beats());
            return;
        }
        if (p.mode() == PipelineConfig.Mode.CLASSIFY) {
            topology.addProcessor(n.classify(), () -> new ClassifyProcessor(p, model, metrics), n.parse());
            topology.addSink(
                    n.classificationSink(),
                    p.output().classifications(),
                    new StringSerializer(),
                    new ByteArraySerializer(),
                    n.classify());
            topology.addSink(
                    n.deadLetterSink(),
                    p.output().deadLetter(),
                    new ByteArraySerializer(),
                    new ByteArraySerializer(),
                    n.parse());
            return;
        }
        topology.addProcessor(n.step(), () -> new SeriesProcessor(p, model, routes, metrics, refusal), n.parse());
        topology.addStateStore(
                seriesStore.apply(DecodedStateCache.builder(
                        Stores.keyValueStoreBuilder(
                                        p.store() == PipelineConfig.StateStore.MEMORY
                                                ? Stores.inMemoryKeyValueStore(n.store())
                                                : Stores.persistentKeyValueStore(n.store()),
                                        Serdes.String(),
                                        new SeriesStateSerde())
                                .withLoggingEnabled(Map.of()),
                        p.stateCache())),
                n.step());
        topology.addSink(
                n.forecastSink(), p.output().forecasts(), new StringSerializer(), new ByteArraySerializer(), n.step());
        topology.addSink(
                n.alertSink(), p.output().alerts(), new StringSerializer(), new ByteArraySerializer(), n.step());
        topology.addSink(
                n.deadLetterSink(),
                p.output().deadLetter(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                n.parse(),
                n.step());
    }
}
