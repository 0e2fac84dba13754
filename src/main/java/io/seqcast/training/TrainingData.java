package io.seqcast.training;

import io.seqcast.errors.InvalidRecordException;
import io.seqcast.event.FieldMapping;
import io.seqcast.event.Observation;
import io.seqcast.event.ObservationParser;
import io.seqcast.registry.TopicSnapshot;
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

/** Where {@code seqcast train} gets its series: CSV files, or a topic of observations replayed from its start. */
public final class TrainingData {

    private TrainingData() {}

    /** Every file as a series of {@code valueColumns} (empty: the second column). */
    public static List<CsvSeries> fromFiles(List<Path> files, String timeColumn, List<String> valueColumns)
            throws IOException {
        List<CsvSeries> out = new ArrayList<>();
        for (Path file : files) {
            out.add(CsvSeries.read(file, CsvSeries.nameOf(file), timeColumn, valueColumns));
        }
        return out;
    }

    /**
     * Reads {@code topic} from its start to its end at the time of the call, series by series, in each series'
     * order (records of a series share a partition). Records the engine would refuse (unparseable, or older than
     * the series' last time) are skipped and counted.
     */
    public static List<CsvSeries> fromTopic(Properties clientProperties, String topic, PrintWriter log) {
        return fromTopic(clientProperties, topic, FieldMapping.DEFAULT, log);
    }

    /** As {@link #fromTopic(Properties, String, PrintWriter)}, reading records with {@code mapping}. */
    public static List<CsvSeries> fromTopic(
            Properties clientProperties, String topic, FieldMapping mapping, PrintWriter log) {
        ObservationParser parser = new ObservationParser(mapping);
        Map<String, List<Observation>> bySeries = new LinkedHashMap<>();
        long[] skipped = {0};
        TopicSnapshot.read(clientProperties, topic, Duration.ofHours(1), r -> {
            try {
                Observation o = parser.parse(r.key(), r.value());
                List<Observation> s = bySeries.computeIfAbsent(o.series(), k -> new ArrayList<>());
                if (!s.isEmpty() && o.time() <= s.get(s.size() - 1).time()) {
                    skipped[0]++;
                } else {
                    s.add(o);
                }
            } catch (InvalidRecordException e) {
                skipped[0]++;
            }
        });
        log.printf(
                "read %d series from %s (%d records skipped as the engine would refuse them)%n",
                bySeries.size(), topic, skipped[0]);
        List<CsvSeries> out = new ArrayList<>();
        bySeries.forEach((name, obs) -> out.add(new CsvSeries(
                name,
                obs.stream().mapToLong(Observation::time).toArray(),
                obs.stream().map(Observation::values).toArray(double[][]::new))));
        return out;
    }

    /**
     * Each series downsampled by the mean of each {@code resampleMean} rows, then cut to its first
     * {@code int(historyFraction * rows)} rows (the history of the evaluation protocol).
     *
     * @throws IllegalArgumentException if {@code resampleMean < 1} or {@code historyFraction} is not in (0, 1]
     */
    public static List<CsvSeries> history(List<CsvSeries> series, int resampleMean, double historyFraction) {
        if (!(historyFraction > 0 && historyFraction <= 1)) {
            throw new IllegalArgumentException("--history-fraction must be in (0, 1], got " + historyFraction);
        }
        List<CsvSeries> out = new ArrayList<>();
        for (CsvSeries s : series) {
            CsvSeries resampled = s.meanOf(resampleMean);
            out.add(resampled.head((int) (historyFraction * resampled.size())));
        }
        return out;
    }

    /**
     * {@code values} cut into {@code n} consecutive pieces of equal length (the remainder of the division goes to
     * the last piece); one piece when {@code n} is 1.
     */
    public static List<float[]> chunks(float[] values, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("chunks must be 1 or more, got " + n);
        }
        List<float[]> out = new ArrayList<>();
        int size = values.length / n;
        for (int c = 0; c < n; c++) {
            int from = c * size;
            int to = c == n - 1 ? values.length : from + size;
            out.add(java.util.Arrays.copyOfRange(values, from, to));
        }
        return out;
    }
}
