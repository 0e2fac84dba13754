package io.seqcast.errors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The largest dead-letter record, in bytes, each dead-letter topic takes: the smallest of the producer's
 * {@code max.request.size} and the topic's {@code max.message.bytes}, read at start-up. When the cluster refuses a
 * dead-letter record anyway (the topic's limit was lowered while running), {@link DeadLetterProductionHandler}
 * {@linkplain #lower lowers} the limit, so that the record, processed again after the aborted transaction, is cut to
 * fit. Thread-safe: stream threads read it, the producer's callbacks lower it.
 */
public final class DeadLetterLimits {

    /** The producer's default {@code max.request.size}, below the broker's default {@code message.max.bytes}. */
    public static final int PRODUCER_DEFAULT = 1_048_576;
    /** A limit lowered after a refusal is at most this: far below any limit a cluster sets in practice. */
    static final int FALLBACK = 64 * 1024;

    private final int defaultBytes;
    private final Map<String, Integer> byTopic = new ConcurrentHashMap<>();

    public DeadLetterLimits(int defaultBytes) {
        if (defaultBytes < 1024) {
            throw new IllegalArgumentException(
                    "a dead-letter limit below 1 KiB leaves no room for the reason: " + defaultBytes);
        }
        this.defaultBytes = defaultBytes;
    }

    /** Kafka's defaults for every topic. */
    public static DeadLetterLimits defaults() {
        return new DeadLetterLimits(PRODUCER_DEFAULT);
    }

    /** Sets the limit of {@code topic} (at least 1 KiB is kept, room for the reason and source headers). */
    public DeadLetterLimits set(String topic, int maxBytes) {
        byTopic.put(topic, Math.max(1024, maxBytes));
        return this;
    }

    /** The largest record, in bytes, to send to {@code topic}. */
    public int maxBytes(String topic) {
        return byTopic.getOrDefault(topic, defaultBytes);
    }

    /**
     * Lowers the limit of {@code topic} after the cluster refused a record of {@code refusedBytes} there: to three
     * quarters of it, and at most {@link #FALLBACK}. Returns the new limit.
     */
    public int lower(String topic, long refusedBytes) {
        int next = (int) Math.min(Math.min(FALLBACK, refusedBytes * 3 / 4), maxBytes(topic));
        return byTopic.merge(topic, Math.max(1024, next), Math::min);
    }
}
