package io.seqcast.evaluate;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Forecast;
import io.seqcast.model.SequenceModel;
import io.seqcast.replay.CsvRows;
import io.seqcast.replay.CsvSeries;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * NAB mode of {@code seqcast evaluate}: replays every data file of a NAB tree ({@code data/<category>/<file>.csv})
 * through the pipeline's topology ({@link TopologyReplay}), each file a series of its own with the file's median
 * spacing as sampling interval, and writes NAB results files {@code <out>/<category>/seqcast_<file>.csv} with the
 * columns {@code timestamp,value,anomaly_score}, one row per data row. Labels are never read.
 */
public final class NabRun {

    /** Detector name in results file names. */
    public static final String DETECTOR = "seqcast";

    /** One replayed file. */
    public record FileResult(Path data, Path results, CsvSeries series, TopologyReplay.Replayed replayed) {}

    private NabRun() {}

    /** The data files under {@code nabDir/data}, sorted. */
    public static List<Path> dataFiles(Path nabDir) throws IOException {
        Path data = nabDir.resolve("data");
        if (!Files.isDirectory(data)) {
            throw new IOException(nabDir + " has no data/ directory; point --nab at a NAB tree such as data/nab");
        }
        try (Stream<Path> walk = Files.walk(data)) {
            return walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
    }

    /** Replays one data file and writes its results file under {@code out}. */
    public static FileResult run(PipelineConfig template, SequenceModel model, Path nabDir, Path file, Path out)
            throws IOException {
        String name = CsvSeries.nameOf(file);
        CsvSeries series = CsvSeries.read(file, name, null, List.of());
        PipelineConfig pipeline = template.withInterval(TopologyReplay.medianInterval(series));
        TopologyReplay.Replayed replayed = TopologyReplay.run(pipeline, model, series);
        List<Forecast> forecasts = replayed.forecasts();
        Path relative = nabDir.resolve("data").relativize(file);
        Path results = out.resolve(relative.getParent() == null ? Path.of("") : relative.getParent())
                .resolve(DETECTOR + "_" + file.getFileName());
        Files.createDirectories(results.getParent());
        List<String[]> rows = CsvRows.readAll(file);
        rows = rows.subList(Math.min(1, rows.size()), rows.size());
        try (BufferedWriter w = Files.newBufferedWriter(results, StandardCharsets.UTF_8)) {
            w.write("timestamp,value,anomaly_score\n");
            for (int i = 0; i < rows.size(); i++) {
                String[] cells = rows.get(i);
                Forecast f = forecasts.get(i);
                double score = f == null ? 0 : f.anomalyScore();
                w.write(cells[0] + "," + cells[1] + "," + String.format(Locale.ROOT, "%.17f", score) + "\n");
            }
        }
        return new FileResult(file, results, series, replayed);
    }

    /**
     * Writes {@code time,value,score,expected,f1..fH} per row: the forecast the row was scored against (empty where
     * none) and the forecasts made at that row (none where none).
     */
    public static void writeForecasts(Path file, FileResult r) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("time,value,score,expected,steps\n");
            double[] values = r.series().firstColumn();
            for (int i = 0; i < values.length; i++) {
                Forecast f = r.replayed().forecasts().get(i);
                StringBuilder line = new StringBuilder()
                        .append(r.series().times()[i])
                        .append(',')
                        .append(values[i])
                        .append(',')
                        .append(f == null ? 0 : f.anomalyScore())
                        .append(',');
                if (f != null && f.expected() != null) {
                    line.append(f.expected().value());
                }
                if (f != null) {
                    for (var step : f.steps()) {
                        line.append(',').append(step.value());
                    }
                }
                w.write(line.append('\n').toString());
            }
        }
    }
}
