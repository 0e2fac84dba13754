package io.seqcast.topology;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Classification;
import io.seqcast.event.EventJson;
import io.seqcast.event.Observation;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Classify mode: each observation's vector is one sequence (the model's input size values per step), run through the
 * model from a zero state; the output after the last step is the class probabilities. Publishes the most probable
 * class with its probability. Keeps no state between observations.
 */
final class ClassifyProcessor implements Processor<Object, Object, Object, Object> {

    private final PipelineConfig pipeline;
    private final Names names;
    private final EngineMetrics metrics;
    private ProcessorContext<Object, Object> context;
    private final ServedClassifier classifier;
    private float[] input;

    ClassifyProcessor(PipelineConfig pipeline, Supplier<SequenceModel> models, EngineMetrics metrics) {
        this.pipeline = pipeline;
        this.names = new Names(pipeline.name());
        this.classifier = new ServedClassifier(pipeline.name(), models, metrics);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        metrics.declare(pipeline.name());
        classifier.follow();
    }

    @Override
    public void process(Record<Object, Object> record) {
        classifier.follow();
        Observation o = ((Inbound) record.value()).observation();
        Classification c = classify(o);
        metrics.classified(pipeline.name(), c.label());
        context.forward(record.withKey((Object) o.series()).withValue(EventJson.encode(c)), names.classificationSink());
    }

    Classification classify(Observation o) {
        int in = classifier.inputSize();
        if (input == null || input.length != in) {
            input = new float[in];
        }
        classifier.start();
        double[] values = o.values();
        for (int t = 0; t + in <= values.length; t += in) {
            for (int i = 0; i < in; i++) {
                input[i] = (float) values[t + i];
            }
            classifier.step(input);
        }
        ServedClassifier.Verdict v = classifier.verdict();
        return new Classification(
                o.series(), pipeline.name(), o.time(), v.label(), v.probability(), v.probabilities(), v.model());
    }
}
