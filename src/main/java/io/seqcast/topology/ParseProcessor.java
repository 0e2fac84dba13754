package io.seqcast.topology;

import io.seqcast.errors.InvalidRecordException;
import io.seqcast.event.ObservationParser;
import io.seqcast.event.TimeWindow;
import io.seqcast.metrics.EngineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads raw observation records. A record that parses goes on to the series processor; one that does not goes to
 * the dead-letter sink with its original key, value and headers, and the reason in headers. Event times outside the
 * {@link TimeWindow} around the wall clock are refused here, whatever their format. Never throws on input.
 */
final class ParseProcessor implements Processor<byte[], byte[], Object, Object> {

    private final String pipeline;
    private final String next;
    private final ObservationParser parser;
    private final String timeField;
    private final TimeWindow window;
    private final Refusal refusal;
    private final EngineMetrics metrics;
    private ProcessorContext<Object, Object> context;

    ParseProcessor(
            String pipeline,
            String next,
            ObservationParser parser,
            String timeField,
            TimeWindow window,
            Refusal refusal,
            EngineMetrics metrics) {
        this.pipeline = pipeline;
        this.next = next;
        this.parser = parser;
        this.timeField = timeField;
        this.window = window;
        this.refusal = refusal;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.received(pipeline);
        try {
            var observation = parser.parse(record.key(), record.value());
            window.check(timeField, observation.time(), context.currentSystemTimeMs());
            context.forward(
                    record.withKey((Object) observation.series())
                            .withValue(new Inbound(observation, record.key(), record.value())),
                    next);
        } catch (InvalidRecordException e) {
            refusal.send(
                    context,
                    record.key(),
                    record.value(),
                    record.timestamp(),
                    record.headers(),
                    e.reason(),
                    e.getMessage());
        }
    }
}
