package io.seqcast.topology;

import io.seqcast.errors.DeadLetters;
import io.seqcast.errors.InvalidRecordException;
import io.seqcast.event.ObservationParser;
import io.seqcast.metrics.EngineMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads raw observation records. A record that parses goes on to the series processor; one that does not goes to
 * the dead-letter sink with its original key, value and headers, and the reason in headers. Never throws on input.
 */
final class ParseProcessor implements Processor<byte[], byte[], Object, Object> {

    private final String pipeline;
    private final Names names;
    private final String next;
    private final ObservationParser parser;
    private final EngineMetrics metrics;
    private ProcessorContext<Object, Object> context;

    ParseProcessor(String pipeline, String next, ObservationParser parser, EngineMetrics metrics) {
        this.pipeline = pipeline;
        this.next = next;
        this.names = new Names(pipeline);
        this.parser = parser;
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
            context.forward(
                    record.withKey((Object) observation.series())
                            .withValue(new Inbound(observation, record.key(), record.value())),
                    next);
        } catch (InvalidRecordException e) {
            metrics.deadLettered(pipeline, e.reason());
            context.forward(
                    new Record<Object, Object>(record.key(), record.value(), record.timestamp(),
                            DeadLetters.headers(record.headers(), pipeline, e.reason(), e.getMessage(),
                                    context.recordMetadata().orElse(null))),
                    names.deadLetterSink());
        }
    }
}
