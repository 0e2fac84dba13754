package io.seqcast.topology;

import io.seqcast.errors.DeadLetterLimits;
import io.seqcast.errors.DeadLetters;
import io.seqcast.errors.Reason;
import io.seqcast.metrics.EngineMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends refused records of one pipeline to its dead-letter sink: original key, value and headers plus the reason,
 * {@linkplain DeadLetters#fit cut to fit} the topic's {@link DeadLetterLimits limit} so that the cluster never refuses
 * a dead letter (which would abort the transaction, and bring the same record back after every restart).
 */
record Refusal(String pipeline, String topic, String sink, DeadLetterLimits limits, EngineMetrics metrics) {

    void send(
            ProcessorContext<Object, Object> context,
            byte[] key,
            byte[] value,
            long timestamp,
            Headers original,
            Reason reason,
            String detail) {
        metrics.deadLettered(pipeline, reason);
        Headers headers = DeadLetters.headers(
                original, pipeline, reason, detail, context.recordMetadata().orElse(null));
        DeadLetters.DeadLetter d = DeadLetters.fit(key, value, headers, limits.maxBytes(topic));
        if (d.headers() != headers) {
            metrics.deadLetterTruncated(pipeline);
        }
        context.forward(new Record<Object, Object>(d.key(), d.value(), timestamp, d.headers()), sink);
    }
}
