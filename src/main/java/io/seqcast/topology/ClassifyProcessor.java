package io.seqcast.topology;

import io.seqcast.classify.LabelledModel;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Classification;
import io.seqcast.event.EventJson;
import io.seqcast.event.ModelRef;
import io.seqcast.event.Observation;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Supplier<SequenceModel> models;
    private final EngineMetrics metrics;
    private ProcessorContext<Object, Object> context;
    private SequenceModel served;
    private SequenceModel model;
    private List<String> classes;
    private float[] state;
    private float[] input;
    private float[] output;

    ClassifyProcessor(PipelineConfig pipeline, Supplier<SequenceModel> models, EngineMetrics metrics) {
        this.pipeline = pipeline;
        this.names = new Names(pipeline.name());
        this.models = models;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        metrics.declare(pipeline.name());
        serve(models.get());
    }

    private void serve(SequenceModel next) {
        served = next;
        model = next.copy();
        classes = LabelledModel.classesOf(next);
        state = new float[model.stateSize()];
        input = new float[model.info().inputSize()];
        output = new float[model.info().outputSize()];
        metrics.modelServed(pipeline.name(), new ModelRef(next.info().name(), next.info().version()));
    }

    @Override
    public void process(Record<Object, Object> record) {
        SequenceModel current = models.get();
        if (current != served) {
            serve(current);
        }
        Observation o = ((Inbound) record.value()).observation();
        Classification c = classify(o);
        metrics.classified(pipeline.name(), c.label());
        context.forward(record.withKey((Object) o.series()).withValue(EventJson.encode(c)),
                names.classificationSink());
    }

    Classification classify(Observation o) {
        Arrays.fill(state, 0f);
        double[] values = o.values();
        int in = input.length;
        for (int t = 0; t + in <= values.length; t += in) {
            for (int i = 0; i < in; i++) {
                input[i] = (float) values[t + i];
            }
            model.step(1, input, state, output);
        }
        int best = 0;
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int k = 0; k < output.length; k++) {
            probabilities.put(classes.get(k), (double) output[k]);
            if (output[k] > output[best]) {
                best = k;
            }
        }
        return new Classification(o.series(), pipeline.name(), o.time(), classes.get(best), output[best],
                probabilities, new ModelRef(served.info().name(), served.info().version()));
    }
}
