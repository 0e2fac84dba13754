package io.seqcast.errors;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers of a dead-letter record. The record's key and value are the original bytes, untouched; these headers say
 * why it was refused and where it came from.
 */
public final class DeadLetters {

    public static final String REASON = "seqcast.dlq.reason";
    public static final String DETAIL = "seqcast.dlq.detail";
    public static final String PIPELINE = "seqcast.dlq.pipeline";
    public static final String SOURCE_TOPIC = "seqcast.dlq.source.topic";
    public static final String SOURCE_PARTITION = "seqcast.dlq.source.partition";
    public static final String SOURCE_OFFSET = "seqcast.dlq.source.offset";

    private DeadLetters() {}

    /** Original headers plus the dead-letter headers for this reason and source position. */
    public static Headers headers(
            Headers original, String pipeline, Reason reason, String detail, RecordMetadata source) {
        Headers headers = new RecordHeaders(original.toArray());
        add(headers, REASON, reason.code());
        add(headers, DETAIL, detail);
        add(headers, PIPELINE, pipeline);
        if (source != null) {
            add(headers, SOURCE_TOPIC, source.topic());
            add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
            add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        }
        return headers;
    }

    /** The last value of a header as text, or null. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
