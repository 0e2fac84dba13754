package io.seqcast.demo;

import io.seqcast.classify.BeatFeed;
import io.seqcast.classify.EcgFeed;
import io.seqcast.config.PipelineConfig;
import io.seqcast.replay.CsvRows;
import io.seqcast.replay.CsvSeries;
import io.seqcast.replay.Replayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The demo's data: {@code data/demo-feeds.csv} lists, per line, a pipeline, a CSV file (relative to {@code data/}),
 * its time column and value column. Each file becomes one series, named after the file. A time column of
 * {@code beats} makes an ECG record's signal file and its annotations file (the value column) a series of beats
 * ({@link BeatFeed}). A time column of {@code ecg} makes an ECG record's signal file raw samples for an ECG pipeline
 * ({@link EcgFeed}, the pipeline's samples per observation), of which only the first N seconds are sent, N being the
 * value column. A time column of {@code lead} makes it the record's first lead at the pipeline's sampling interval
 * ({@link EcgFeed#lead}, for a signal forecasting pipeline), again the first N seconds.
 */
public final class DemoFeeds {

    private DemoFeeds() {}

    public static List<Replayer.Feed> load(Path home, List<PipelineConfig> pipelines) throws IOException {
        Path list = home.resolve("data/demo-feeds.csv");
        Map<String, PipelineConfig> byName =
                pipelines.stream().collect(Collectors.toMap(PipelineConfig::name, Function.identity()));
        List<Replayer.Feed> feeds = new ArrayList<>();
        for (String[] cells : CsvRows.readAll(list)) {
            if (cells.length < 4 || cells[0].equals("pipeline")) {
                continue;
            }
            PipelineConfig p = byName.get(cells[0].trim());
            if (p == null) {
                throw new IllegalStateException(
                        list + ": no pipeline named '" + cells[0] + "' in topology/; known: " + byName.keySet());
            }
            Path file = home.resolve("data").resolve(cells[1].trim());
            CsvSeries series = switch (cells[2].trim()) {
                case "ecg" ->
                    EcgFeed.read(file, p.input().fields().features() / 2, Double.parseDouble(cells[3].trim()));
                case "lead" -> EcgFeed.lead(file, p.sampling().interval(), Double.parseDouble(cells[3].trim()));
                case "beats" -> BeatFeed.read(file, home.resolve("data").resolve(cells[3].trim()));
                default -> CsvSeries.read(file, CsvSeries.nameOf(file), cells[2].trim(), List.of(cells[3].trim()));
            };
            feeds.add(new Replayer.Feed(p.input().topic(), series));
        }
        return feeds;
    }
}
