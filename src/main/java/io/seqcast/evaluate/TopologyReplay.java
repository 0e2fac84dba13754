package io.seqcast.evaluate;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert.Lifecycle;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import io.seqcast.replay.CsvSeries;
import io.seqcast.topology.TopologyFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays a CSV series through the production code path: the real {@link TopologyFactory} topology of a pipeline
 * (parse, per-series step with its changelogged state store, sinks) in a {@link TopologyTestDriver}. Observations are
 * sent as the JSON records a producer would send, one at a time, and the forecast events read back from the output
 * topic. Nothing of the series beyond the observation being sent is visible to the engine.
 */
public final class TopologyReplay {

    private TopologyReplay() {}

    /**
     * What the engine published for a replayed series.
     *
     * @param forecasts the forecast event of every row, in row order; null for a row the engine refused
     * @param alertOpened per row: whether an alert opened at it
     */
    public record Replayed(List<Forecast> forecasts, boolean[] alertOpened) {}

    /**
     * The forecast event of every row of {@code series}, in row order; null for a row the engine refused (late or
     * duplicate time).
     *
     * @param pipeline the pipeline to run; its sampling interval should match the series' (see {@link PipelineConfig#withInterval})
     */
    public static Replayed run(PipelineConfig pipeline, SequenceModel model, CsvSeries series) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("seqcast-evaluate-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary state directory", e);
        }
        Properties props = ReplayDriver.properties("seqcast-evaluate", stateDir);
        List<Forecast> out = new ArrayList<>(series.size());
        boolean[] opened = new boolean[series.size()];
        try (TopologyTestDriver driver = new TopologyTestDriver(
                TopologyFactory.build(List.of(pipeline), p -> model, EngineMetrics.inMemory()), props)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(
                    pipeline.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> forecasts = driver.createOutputTopic(
                    pipeline.output().forecasts(), new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> alerts = driver.createOutputTopic(
                    pipeline.output().alerts(), new StringDeserializer(), new ByteArrayDeserializer());
            byte[] key = series.name().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < series.size(); i++) {
                input.pipeInput(key, EventJson.encodeObservation(series.name(), series.times()[i], series.values()[i]));
                out.add(forecasts.isEmpty() ? null : EventJson.decodeForecast(forecasts.readValue()));
                while (!alerts.isEmpty()) {
                    opened[i] |= EventJson.decodeAlert(alerts.readValue()).lifecycle() == Lifecycle.OPENED;
                }
            }
        } finally {
            deleteQuietly(stateDir);
        }
        return new Replayed(out, opened);
    }

    /** The median time between consecutive rows: the sampling interval a pipeline for the series would declare. */
    public static Duration medianInterval(CsvSeries series) {
        long[] t = series.times();
        if (t.length < 2) {
            return Duration.ofMinutes(5);
        }
        long[] d = new long[t.length - 1];
        for (int i = 1; i < t.length; i++) {
            d[i - 1] = t[i] - t[i - 1];
        }
        Arrays.sort(d);
        return Duration.ofMillis(Math.max(1, d[d.length / 2]));
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
