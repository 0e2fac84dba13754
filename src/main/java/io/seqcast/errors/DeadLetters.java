package io.seqcast.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers of a dead-letter record. The record's key and value are the original bytes, untouched; these headers say
 * why it was refused and where it came from. A dead-letter record that would not fit the producer's
 * {@code max.request.size} or the topic's {@code max.message.bytes} is {@linkplain #fit cut to fit}: its value (then
 * key, then original headers) is truncated, and the original sizes and SHA-256 digests are in headers.
 */
public final class DeadLetters {

    public static final String REASON = "seqcast.dlq.reason";
    public static final String DETAIL = "seqcast.dlq.detail";
    public static final String PIPELINE = "seqcast.dlq.pipeline";
    public static final String SOURCE_TOPIC = "seqcast.dlq.source.topic";
    public static final String SOURCE_PARTITION = "seqcast.dlq.source.partition";
    public static final String SOURCE_OFFSET = "seqcast.dlq.source.offset";

    /** Original size in bytes of a value that was truncated to fit. */
    public static final String VALUE_SIZE = "seqcast.dlq.original.value.size";
    /** Hex SHA-256 of the original value, when it was truncated to fit. */
    public static final String VALUE_SHA256 = "seqcast.dlq.original.value.sha256";
    /** Original size in bytes of a key that was truncated to fit. */
    public static final String KEY_SIZE = "seqcast.dlq.original.key.size";
    /** Hex SHA-256 of the original key, when it was truncated to fit. */
    public static final String KEY_SHA256 = "seqcast.dlq.original.key.sha256";
    /** What was cut to fit, comma-separated: {@code value}, {@code key}, {@code headers}. */
    public static final String TRUNCATED = "seqcast.dlq.truncated";
    /** How many original (non-seqcast) headers were dropped to fit. */
    public static final String HEADERS_DROPPED = "seqcast.dlq.original.headers.dropped";

    /**
     * Bytes a record batch of one record takes beyond its record, and the largest varint/varlong fields of a record:
     * {@link #sizeUpperBound} counts them at their maximum, so that it is never below what the producer and the broker
     * count.
     */
    private static final int BATCH_OVERHEAD = 61;

    private static final int VARINT = 5;
    private static final int VARLONG = 10;

    private DeadLetters() {}

    /** A dead-letter record as it will be sent. */
    public record DeadLetter(byte[] key, byte[] value, Headers headers) {}

    /**
     * An upper bound of the bytes a batch holding only this record takes (record format v2, no compression), as the
     * producer compares with {@code max.request.size} and the broker with {@code max.message.bytes}.
     */
    public static long sizeUpperBound(byte[] key, byte[] value, Headers headers) {
        long size = BATCH_OVERHEAD
                + VARINT
                + 1
                + VARLONG
                + VARINT
                + VARINT
                + (key == null ? 0 : key.length)
                + VARINT
                + (value == null ? 0 : value.length)
                + VARINT;
        for (Header h : headers) {
            size += VARINT
                    + h.key().getBytes(StandardCharsets.UTF_8).length
                    + VARINT
                    + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    /**
     * The dead-letter record unchanged when it fits in {@code maxBytes}; otherwise a copy cut to fit: first the value
     * is truncated to the longest prefix that fits (down to empty), then the key, then the original headers are
     * dropped, the newest first. Each cut is recorded in headers ({@link #TRUNCATED}, original sizes and SHA-256
     * digests), and the seqcast headers (reason, detail, source) are always kept.
     *
     * @param headers the dead-letter headers ({@link #headers}), not modified
     * @param maxBytes the smallest of the producer's {@code max.request.size} and the topic's
     *     {@code max.message.bytes}
     */
    public static DeadLetter fit(byte[] key, byte[] value, Headers headers, int maxBytes) {
        if (sizeUpperBound(key, value, headers) <= maxBytes) {
            return new DeadLetter(key, value, headers);
        }
        Headers out = new RecordHeaders(headers.toArray());
        List<String> cut = new ArrayList<>();
        // room for the headers added below (sizes, digests, what was cut), counted before they are known
        long reserve = 4 * (2 * VARINT + 40) + 2 * 64 + 2 * 20;
        byte[] newValue = value;
        if (value != null && value.length > 0) {
            add(out, VALUE_SIZE, Integer.toString(value.length));
            add(out, VALUE_SHA256, sha256(value));
            cut.add("value");
            long room = maxBytes - reserve - sizeUpperBound(key, new byte[0], out);
            newValue = Arrays.copyOf(value, (int) Math.max(0, Math.min(value.length, room)));
        }
        byte[] newKey = key;
        if (sizeUpperBound(newKey, newValue, out) + reserve > maxBytes && key != null && key.length > 0) {
            add(out, KEY_SIZE, Integer.toString(key.length));
            add(out, KEY_SHA256, sha256(key));
            cut.add("key");
            long room = maxBytes - reserve - sizeUpperBound(new byte[0], newValue, out);
            newKey = Arrays.copyOf(key, (int) Math.max(0, Math.min(key.length, room)));
        }
        List<Header> originals = new ArrayList<>();
        List<Header> ours = new ArrayList<>();
        for (Header h : out) {
            (h.key().startsWith("seqcast.dlq.") ? ours : originals).add(h);
        }
        int dropped = 0;
        while (!originals.isEmpty() && sizeUpperBound(newKey, newValue, out) + reserve > maxBytes) {
            originals.remove(originals.size() - 1);
            dropped++;
            out = new RecordHeaders();
            originals.forEach(out::add);
            ours.forEach(out::add);
        }
        if (dropped > 0) {
            add(out, HEADERS_DROPPED, Integer.toString(dropped));
            cut.add("headers");
        }
        add(out, TRUNCATED, String.join(",", cut));
        return new DeadLetter(newKey, newValue, out);
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

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
