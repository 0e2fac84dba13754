package io.seqcast.replay;

import io.seqcast.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends series into a topic as observation events, keyed by series id, the series interleaved row by row, at a
 * chosen rate. What producers of seqcast do; the demo and benchmarks use it. Every send is acknowledged by all
 * in-sync replicas or reported: the first failure stops the replay and {@link #replay} throws it.
 */
public final class Replayer implements AutoCloseable {

    /** One series and the topic it goes to. */
    public record Feed(String topic, CsvSeries series) {}

    /** Records were not delivered; the message names how many, the topic and the broker's (or client's) error. */
    public static final class DeliveryFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliveryFailedException(String message, Exception cause) {
            super(message, cause);
        }
    }

    /** Kafka's default time a record may take to be acknowledged, retries included. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(2);

    private static final int LINGER_MS = 5;

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<FailedSend> firstFailure = new AtomicReference<>();
    private final Duration deliveryTimeout;

    private record FailedSend(String topic, Exception error) {}

    public Replayer(Properties clientProperties) {
        this(clientProperties, DEFAULT_DELIVERY_TIMEOUT);
    }

    /**
     * @param deliveryTimeout how long a record may wait for its acknowledgement, retries and the wait for the
     *     topic's metadata included ({@code delivery.timeout.ms} and {@code max.block.ms}): a replay to an
     *     unreachable cluster fails after about this long
     */
    public Replayer(Properties clientProperties, Duration deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
        long timeoutMs = Math.max(deliveryTimeout.toMillis(), LINGER_MS + 1000);
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        // delivery.timeout.ms must cover linger.ms + request.timeout.ms
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, timeoutMs - LINGER_MS));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends every row of every feed, round-robin across feeds, at {@code ratePerSecond} records per second in total
     * (0: as fast as possible). Returns the records delivered when all are, or early after {@link #stop()}.
     *
     * @throws DeliveryFailedException when a record was not delivered (the replay stops at the first failure)
     */
    public long replay(List<Feed> feeds, double ratePerSecond) throws InterruptedException {
        int longest = feeds.stream().mapToInt(f -> f.series().size()).max().orElse(0);
        long start = System.nanoTime();
        long count = 0;
        for (int row = 0; row < longest && !stopped.get() && firstFailure.get() == null; row++) {
            for (Feed feed : feeds) {
                CsvSeries s = feed.series();
                if (row >= s.size()) {
                    continue;
                }
                byte[] key = s.name().getBytes(StandardCharsets.UTF_8);
                byte[] value = EventJson.encodeObservation(s.name(), s.times()[row], s.values()[row]);
                producer.send(new ProducerRecord<>(feed.topic(), key, value), callback(feed.topic()));
                count++;
                sent.incrementAndGet();
                if (ratePerSecond > 0) {
                    long due = start + (long) (count * 1e9 / ratePerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
        }
        producer.flush();
        FailedSend failure = firstFailure.get();
        if (failure != null) {
            Exception e = failure.error();
            throw new DeliveryFailedException(
                    failed.get() + " of " + count + " observations were not delivered to '"
                            + failure.topic() + "' (" + delivered.get() + " were): "
                            + e.getClass().getSimpleName() + ": "
                            + e.getMessage()
                            + (e instanceof org.apache.kafka.common.errors.TimeoutException
                                    ? " (no acknowledgement within the delivery timeout of "
                                            + deliveryTimeout.toMillis()
                                            + " ms: is the cluster reachable at bootstrap.servers?)"
                                    : ""),
                    e);
        }
        return delivered.get();
    }

    private Callback callback(String topic) {
        return (metadata, error) -> {
            if (error == null) {
                delivered.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, new FailedSend(topic, error));
            }
        };
    }

    /** Records handed to the producer so far (not all necessarily delivered: see {@link #delivered()}). */
    public long sent() {
        return sent.get();
    }

    /** Records acknowledged by the cluster so far. */
    public long delivered() {
        return delivered.get();
    }

    public void stop() {
        stopped.set(true);
    }

    /** True once {@link #stop()} was called: a replay that returned then may not have sent everything. */
    public boolean stopped() {
        return stopped.get();
    }

    @Override
    public void close() {
        stop();
        producer.close();
    }
}
