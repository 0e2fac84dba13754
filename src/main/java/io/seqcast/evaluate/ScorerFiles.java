package io.seqcast.evaluate;

import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.replay.CsvSeries;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The two files an independent scorer reads to re-derive an evaluation: {@code <name>.data.csv} with
 * {@code timestamp,value} (the series exactly as evaluated, after any downsampling) and {@code <name>.csv} with
 * {@code time,value,score,f1..fH} (the forecasts published at each row, time in epoch milliseconds; nothing after the
 * score where the engine published none). Timestamps are written {@code yyyy-MM-dd HH:mm:ss} in UTC; a series whose
 * times are not whole seconds (the ECG) gets row {@code i} at second {@code i} in both files instead, which changes
 * nothing for index-based seasons.
 */
public final class ScorerFiles {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private ScorerFiles() {}

    /** Writes both files into {@code dir}. */
    public static void write(Path dir, CsvSeries series, List<Forecast> published) throws IOException {
        Files.createDirectories(dir);
        long[] times = series.times();
        boolean wholeSeconds = true;
        for (long t : times) {
            wholeSeconds &= t % 1000 == 0;
        }
        double[] values = series.firstColumn();
        try (BufferedWriter data =
                        Files.newBufferedWriter(dir.resolve(series.name() + ".data.csv"), StandardCharsets.UTF_8);
                BufferedWriter rows =
                        Files.newBufferedWriter(dir.resolve(series.name() + ".csv"), StandardCharsets.UTF_8)) {
            data.write("timestamp,value\n");
            rows.write("time,value,score,steps\n");
            for (int i = 0; i < values.length; i++) {
                long ms = wholeSeconds ? times[i] : i * 1000L;
                data.write(SECONDS.format(Instant.ofEpochMilli(ms)) + "," + values[i] + "\n");
                Forecast f = published.get(i);
                StringBuilder line = new StringBuilder()
                        .append(ms)
                        .append(',')
                        .append(values[i])
                        .append(',')
                        .append(f == null ? 0 : f.anomalyScore());
                if (f != null) {
                    for (ForecastStep step : f.steps()) {
                        line.append(',').append(step.value());
                    }
                }
                rows.write(line.append('\n').toString());
            }
        }
    }
}
