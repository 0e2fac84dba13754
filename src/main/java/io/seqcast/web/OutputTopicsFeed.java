package io.seqcast.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.seqcast.event.EventJson;
import io.seqcast.metrics.EngineBinders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link LiveSeries} from the forecast and alert topics, read by a consumer of its own on a daemon thread.
 *
 * <p>Why the output topics and not the processor: instances sharing an {@code application.id} split the series
 * between them by partition, so one instance's processor sees only its share. Reading the output topics (all
 * partitions, assigned, no consumer group, {@code read_committed}) gives every instance's page the full picture
 * of the watched series, only committed results, and history from before a restart. The cost: each instance reads
 * the whole forecast topic; records of unwatched series are skipped by key, without decoding their JSON.
 */
public final class OutputTopicsFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutputTopicsFeed.class);

    /** How far back (by record timestamp) the feed starts, so that the page has history after a restart. */
    static final Duration LOOKBACK = Duration.ofMinutes(15);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AutoCloseable consumerMetrics;
    private final Set<String> forecastTopics;
    private final Set<String> alertTopics;
    private final LiveSeries live;
    private final Thread thread;
    private volatile boolean running = true;

    private OutputTopicsFeed(
            Properties clientProperties,
            Set<String> forecastTopics,
            Set<String> alertTopics,
            LiveSeries live,
            MeterRegistry registry) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "seqcast-live-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = EngineBinders.bindConsumer(registry, consumer);
        this.forecastTopics = forecastTopics;
        this.alertTopics = alertTopics;
        this.live = live;
        this.thread = new Thread(this::run, "seqcast-live-feed");
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code forecastTopics} and {@code alertTopics} into {@code live}. */
    public static OutputTopicsFeed start(
            Properties clientProperties,
            Set<String> forecastTopics,
            Set<String> alertTopics,
            LiveSeries live,
            MeterRegistry registry) {
        OutputTopicsFeed feed = new OutputTopicsFeed(clientProperties, forecastTopics, alertTopics, live, registry);
        feed.thread.start();
        return feed;
    }

    private void run() {
        try {
            assign();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    accept(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Live page feed stopped: the page shows no new data until restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : union()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        long from = System.currentTimeMillis() - LOOKBACK.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = offsets.get(tp);
            if (o == null) {
                toEnd.add(tp);
            } else {
                consumer.seek(tp, o.offset());
            }
        }
        consumer.seekToEnd(toEnd);
        log.info("Live page reads {} partition(s) of {}", partitions.size(), union());
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null || !live.watches(r.key())) {
            return;
        }
        try {
            if (forecastTopics.contains(r.topic())) {
                live.add(EventJson.decodeForecast(r.value()));
            }
            if (alertTopics.contains(r.topic())) {
                live.add(EventJson.decodeAlert(r.value()));
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Skipped an undecodable record at {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
        }
    }

    private Set<String> union() {
        var all = new java.util.LinkedHashSet<>(forecastTopics);
        all.addAll(alertTopics);
        return all;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
            consumerMetrics.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Closing the live feed's metrics failed: {}", e.getMessage());
        }
    }
}
