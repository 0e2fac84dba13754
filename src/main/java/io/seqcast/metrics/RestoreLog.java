package io.seqcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every restore of a state store partition from its changelog (start, then records and duration at the end)
 * and counts it: {@code seqcast.state.restored.records{store}} and the timer {@code seqcast.state.restore{store}}.
 * Kafka Streams calls it from its restoring threads.
 */
public final class RestoreLog implements StateRestoreListener {

    private static final Logger log = LoggerFactory.getLogger(RestoreLog.class);

    private final MeterRegistry registry;
    private final Map<TopicPartition, Long> started = new ConcurrentHashMap<>();

    public RestoreLog(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Creates the store's meters at zero, so that dashboards see 0 before the first restore. */
    public void declare(String store) {
        records(store);
        timer(store);
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        started.put(partition, System.nanoTime());
        log.info(
                "Restoring store {} partition {} from its changelog: offsets {} to {}",
                store,
                partition.partition(),
                startingOffset,
                endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
        records(store).increment(restored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        Long start = started.remove(partition);
        Duration took = Duration.ofNanos(start == null ? 0 : System.nanoTime() - start);
        timer(store).record(took);
        log.info(
                "Restored store {} partition {}: {} records in {} ms",
                store,
                partition.partition(),
                totalRestored,
                took.toMillis());
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        Long start = started.remove(partition);
        log.info(
                "Restore of store {} partition {} suspended (partition moved) after {} records in {} ms",
                store,
                partition.partition(),
                totalRestored,
                start == null ? 0 : Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    private Counter records(String store) {
        return Counter.builder("seqcast.state.restored.records")
                .description("Changelog records restored into a state store")
                .tag("store", store)
                .register(registry);
    }

    private Timer timer(String store) {
        return Timer.builder("seqcast.state.restore")
                .description("Restores of a state store partition from its changelog, and their duration")
                .tag("store", store)
                .register(registry);
    }
}
