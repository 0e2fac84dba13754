package io.seqcast.reliability;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.EventJson;
import io.seqcast.event.FieldMapping;
import io.seqcast.event.Forecast;
import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.SequenceModel;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The deterministic workload of the reliability tests: a stateful pipeline with an LSTM whose weights come from a
 * fixed seed, and series whose values (with a few spikes that open alerts) are a pure function of (series, step). The
 * expected outputs are this workload through {@link Driver} (TopologyTestDriver), uninterrupted.
 *
 * @param prefix topic name prefix, distinct per test
 * @param series series count
 * @param length observations per series
 */
record Scenario(String prefix, int series, int length) {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final long MODEL_SEED = 606;

    /** The model every instance and the reference serve: built from the same seed, so identical in every JVM. */
    static SequenceModel model() {
        return KernelModel.fromNetwork(
                Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, 3, MODEL_SEED)), "reliability", "1");
    }

    PipelineConfig pipeline() {
        return TestPipelines.pipeline(
                "rel",
                Path.of("rel.yaml"),
                new PipelineConfig.Input(prefix + ".obs", FieldMapping.DEFAULT),
                new PipelineConfig.Sampling(Duration.ofMinutes(5), 1.5, PipelineConfig.GapPolicy.IMPUTE, 12),
                Path.of("unused.seqcast"),
                PipelineConfig.Mode.STATEFUL,
                new PipelineConfig.Window(16, 1),
                TestPipelines.forecast(3, 0.9),
                TestPipelines.anomaly(0.001, 1e-5, 30, 3),
                TestPipelines.output(prefix + ".forecasts", prefix + ".alerts", prefix + ".dlq"));
    }

    static String seriesId(int s) {
        return "series-" + s;
    }

    /** Value of series {@code s} at step {@code i}: a wave per series, deterministic noise, a spike every 150 steps. */
    static double value(int s, int i) {
        double v = 40 + 8 * s + 3 * Math.sin(i / 6.0 + s) + ((i * 7919 + s * 31) % 11) / 22.0;
        return i > 60 && (i + 37 * s) % 150 == 0 ? v + 40 : v;
    }

    static byte[] key(int s) {
        return seriesId(s).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] observation(int s, int i) {
        return EventJson.encodeObservation(seriesId(s), T0 + i * STEP, value(s, i));
    }

    int records() {
        return series * length;
    }

    /** Forecasts and alerts of the uninterrupted run, per series, in order. */
    Outputs reference(Path stateDir) {
        try (Driver d = new Driver(pipeline(), model(), stateDir)) {
            for (int i = 0; i < length; i++) {
                for (int s = 0; s < series; s++) {
                    d.send(seriesId(s), T0 + i * STEP, value(s, i));
                }
            }
            return new Outputs(
                    bySeries(d.readForecasts(), Forecast::series), bySeries(d.readAlerts(), AnomalyAlert::series));
        }
    }

    static <T> Map<String, List<T>> bySeries(List<T> events, Function<T, String> series) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        events.forEach(e ->
                out.computeIfAbsent(series.apply(e), k -> new ArrayList<>()).add(e));
        return out;
    }

    /** Forecasts and alerts per series. */
    record Outputs(Map<String, List<Forecast>> forecasts, Map<String, List<AnomalyAlert>> alerts) {

        int forecastCount() {
            return forecasts.values().stream().mapToInt(List::size).sum();
        }

        int alertCount() {
            return alerts.values().stream().mapToInt(List::size).sum();
        }
    }
}
