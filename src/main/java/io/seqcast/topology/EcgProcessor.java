package io.seqcast.topology;

import io.seqcast.classify.AamiClass;
import io.seqcast.classify.BeatFeatures;
import io.seqcast.classify.BeatStream;
import io.seqcast.classify.DetectedBeat;
import io.seqcast.classify.EcgState;
import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.Reason;
import io.seqcast.event.Classification;
import io.seqcast.event.EventJson;
import io.seqcast.event.Observation;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * ECG mode: raw samples in, one classification per heartbeat out. Per series, reads its {@link EcgState} from the
 * changelogged store (absent is the initial state), feeds the observation's samples (both leads interleaved) to the
 * {@link BeatStream}, writes the state back and publishes every beat the samples released, classified by the model
 * (many-to-one over the beat's {@link BeatFeatures} steps), at its R peak's time with its RR intervals.
 *
 * <p>Time: an observation's time is that of its first sample. One older than the series' last is dead-lettered
 * {@code late}, one at the same time {@code duplicate}. One that does not follow on from the previous observation
 * (more than {@code sampling.gap-tolerance} intervals away from where the next sample was expected) starts the series
 * afresh: the detector learns again for two seconds, and the beat awaiting its successor is dropped.
 */
final class EcgProcessor implements Processor<Object, Object, Object, Object> {

    private final PipelineConfig pipeline;
    private final Refusal refusal;
    private final Names names;
    private final EngineMetrics metrics;
    private final BeatStream stream;
    private final double toleranceMs;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, EcgState> store;
    private final ServedClassifier classifier;

    EcgProcessor(PipelineConfig pipeline, Supplier<SequenceModel> models, EngineMetrics metrics, Refusal refusal) {
        this.pipeline = pipeline;
        this.refusal = refusal;
        this.names = new Names(pipeline.name());
        this.classifier = new ServedClassifier(pipeline.name(), models, metrics);
        this.metrics = metrics;
        this.stream = new BeatStream(pipeline.sampleRate());
        this.toleranceMs = pipeline.sampling().gapTolerance()
                * pipeline.sampling().interval().toNanos()
                / 1e6;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(names.ecgStore());
        metrics.declare(pipeline.name());
        classifier.follow();
    }

    @Override
    public void process(Record<Object, Object> record) {
        classifier.follow();
        Inbound in = (Inbound) record.value();
        Observation o = in.observation();
        EcgState s = store.get(o.series());
        if (s != null && o.time() <= s.lastTime()) {
            Reason reason = o.time() == s.lastTime() ? Reason.DUPLICATE : Reason.LATE;
            refusal.send(
                    context,
                    in.rawKey(),
                    in.rawValue(),
                    record.timestamp(),
                    record.headers(),
                    reason,
                    "time " + o.time() + " is not after the series' last observation at " + s.lastTime());
            return;
        }
        if (s == null || Math.abs(o.time() - s.expectedTime()) > toleranceMs) {
            s = EcgState.startingAt(stream.rate(), o.time());
        }
        List<DetectedBeat> beats = new ArrayList<>(2);
        long started = System.nanoTime();
        stream.push(s, o.values(), beats::add);
        s.lastTimeIs(o.time());
        store.put(o.series(), s);
        for (DetectedBeat b : beats) {
            Classification c = classify(o.series(), b);
            metrics.classified(pipeline.name(), c.label());
            context.forward(
                    record.withKey((Object) o.series())
                            .withValue(EventJson.encode(c))
                            .withTimestamp(Math.max(record.timestamp(), c.time())),
                    names.classificationSink());
        }
        metrics.stepped(pipeline.name(), System.nanoTime() - started);
    }

    Classification classify(String series, DetectedBeat b) {
        classifier.start();
        for (float[] step : b.input()) {
            classifier.step(step);
        }
        ServedClassifier.Verdict v = classifier.verdict();
        double normal = v.probabilities().getOrDefault(AamiClass.N.name(), 0.0);
        return new Classification(
                series,
                pipeline.name(),
                b.time(),
                v.label(),
                v.probability(),
                v.probabilities(),
                v.model(),
                new Classification.Beat(b.rrBefore(), b.rrAfter(), b.rrMean(), 1 - normal));
    }
}
