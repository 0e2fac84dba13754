package io.seqcast.forecast;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.evaluate.TopologyReplay;
import io.seqcast.event.Forecast;
import io.seqcast.event.Observation;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.replay.CsvSeries;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Research harness (not a test): replays CSV files through a pipeline's {@link SeriesForecaster} directly, the state
 * written and read back by its serde at every observation as the store does, and writes each row's forecasts in the
 * layout of {@code seqcast evaluate nab --forecasts} ({@code time,value,score,f1..fH}), for
 * {@code forecast_score.py}. Much faster than the topology replay on a busy machine; {@code evaluate nab} remains the
 * reference. Usage: {@code java -cp target/classes:target/test-classes:target/lib/* io.seqcast.forecast.DirectReplay
 * PIPELINE.yaml OUT_DIR FILE.csv...}
 */
public final class DirectReplay {

    public static void main(String[] args) throws Exception {
        PipelineConfig template = PipelineFiles.load(Path.of(args[0])).get(0);
        SequenceModel model = ModelCatalog.fromArtifact(ModelArtifact.read(template.modelArtifact()));
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        SeriesStateSerde serde = new SeriesStateSerde();
        for (int f = 2; f < args.length; f++) {
            Path file = Path.of(args[f]);
            CsvSeries series = CsvSeries.read(file, CsvSeries.nameOf(file), null, List.of());
            PipelineConfig p = template.withInterval(TopologyReplay.medianInterval(series));
            SeriesForecaster forecaster = new SeriesForecaster(p, model);
            byte[] stored = null;
            long started = System.nanoTime();
            int maxBytes = 0;
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve(series.name() + ".csv"))) {
                w.write("time,value,score,steps\n");
                for (int i = 0; i < series.size(); i++) {
                    SeriesState s = forecaster.adopt(stored == null ? null : serde.deserialize("t", stored));
                    var outcome = forecaster.process(
                            s, new Observation(series.name(), series.times()[i], series.values()[i], Map.of()));
                    StringBuilder line = new StringBuilder()
                            .append(series.times()[i])
                            .append(',')
                            .append(series.values()[i][0]);
                    if (outcome instanceof Outcome.Accepted a) {
                        stored = serde.serialize("t", s);
                        maxBytes = Math.max(maxBytes, stored.length);
                        Forecast fc = a.forecast();
                        line.append(',').append(fc.anomalyScore());
                        for (var step : fc.steps()) {
                            line.append(',')
                                    .append(step.value())
                                    .append(';')
                                    .append(step.lower())
                                    .append(';')
                                    .append(step.upper());
                        }
                    } else {
                        line.append(",0");
                    }
                    w.write(line.append('\n').toString());
                }
            }
            System.out.printf(
                    "%s %d rows %.1f s, state at most %d bytes%n",
                    series.name(), series.size(), (System.nanoTime() - started) / 1e9, maxBytes);
        }
    }
}
