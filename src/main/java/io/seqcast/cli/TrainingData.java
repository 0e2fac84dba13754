package io.seqcast.cli;

import io.seqcast.errors.InvalidRecordException;
import io.seqcast.event.FieldMapping;
import io.seqcast.event.Observation;
import io.seqcast.event.ObservationParser;
import io.seqcast.replay.CsvSeries;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Where {@code seqcast train} gets its series: CSV files, or a topic of observations replayed from its start. */
final class TrainingData {

    private TrainingData() {}

    static List<CsvSeries> fromFiles(List<Path> files, String timeColumn, String valueColumn) throws IOException {
        List<CsvSeries> out = new ArrayList<>();
        for (Path file : files) {
            out.add(CsvSeries.read(file, CsvSeries.nameOf(file), timeColumn,
                    valueColumn == null ? List.of() : List.of(valueColumn)));
        }
        return out;
    }

    /**
     * Reads {@code topic} from its start to its end at the time of the call, series by series, in each series'
     * order (records of a series share a partition). Records the engine would refuse (unparseable, or older than
     * the series' last time) are skipped and counted.
     */
    static List<CsvSeries> fromTopic(Properties clientProperties, String topic, PrintWriter log) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ObservationParser parser = new ObservationParser(FieldMapping.DEFAULT);
        Map<String, List<Observation>> bySeries = new LinkedHashMap<>();
        long skipped = 0;
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    try {
                        Observation o = parser.parse(r.key(), r.value());
                        List<Observation> s = bySeries.computeIfAbsent(o.series(), k -> new ArrayList<>());
                        if (!s.isEmpty() && o.time() <= s.get(s.size() - 1).time()) {
                            skipped++;
                        } else {
                            s.add(o);
                        }
                    } catch (InvalidRecordException e) {
                        skipped++;
                    }
                }
            }
        }
        log.printf("read %d series from %s (%d records skipped as the engine would refuse them)%n",
                bySeries.size(), topic, skipped);
        List<CsvSeries> out = new ArrayList<>();
        bySeries.forEach((name, obs) -> out.add(new CsvSeries(name,
                obs.stream().mapToLong(Observation::time).toArray(),
                obs.stream().map(Observation::values).toArray(double[][]::new))));
        return out;
    }
}
