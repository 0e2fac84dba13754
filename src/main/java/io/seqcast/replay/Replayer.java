package io.seqcast.replay;

import io.seqcast.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends series into a topic as observation events, keyed by series id, the series interleaved row by row, at a
 * chosen rate. What producers of seqcast do; the demo and benchmarks use it.
 */
public final class Replayer implements AutoCloseable {

    /** One series and the topic it goes to. */
    public record Feed(String topic, CsvSeries series) {}

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();

    public Replayer(Properties clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends every row of every feed, round-robin across feeds, at {@code ratePerSecond} records per second in total
     * (0: as fast as possible). Returns when all are sent, or early after {@link #stop()}.
     */
    public long replay(List<Feed> feeds, double ratePerSecond) throws InterruptedException {
        int longest = feeds.stream().mapToInt(f -> f.series().size()).max().orElse(0);
        long start = System.nanoTime();
        long count = 0;
        for (int row = 0; row < longest && !stopped.get(); row++) {
            for (Feed feed : feeds) {
                CsvSeries s = feed.series();
                if (row >= s.size()) {
                    continue;
                }
                byte[] key = s.name().getBytes(StandardCharsets.UTF_8);
                byte[] value = EventJson.encodeObservation(s.name(), s.times()[row], s.values()[row]);
                producer.send(new ProducerRecord<>(feed.topic(), key, value));
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
        return count;
    }

    /** Records sent so far. */
    public long sent() {
        return sent.get();
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
