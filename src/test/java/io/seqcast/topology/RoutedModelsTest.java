package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.ModelRoute;
import io.seqcast.config.PipelineFiles;
import io.seqcast.event.Forecast;
import io.seqcast.event.ModelRef;
import io.seqcast.event.Observation;
import io.seqcast.forecast.ModelRoutes;
import io.seqcast.forecast.Normalizer;
import io.seqcast.forecast.Outcome;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelArtifact;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.replay.CsvSeries;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.training.ForecastTraining;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import io.seqcast.training.TrainingOptions;
import io.seqcast.training.TrainingProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Series routed by {@code model.routes} are served by their route's model: each forecast names it and equals what
 * that model computes offline over the series; unmatched series keep the default model.
 */
class RoutedModelsTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final int HORIZON = 3;
    static final int LENGTH = 80;

    @TempDir
    Path dir;

    static double[] series(int seed, double level) {
        double[] v = new double[LENGTH];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < LENGTH; i++) {
            v[i] = level + 6 * Math.sin(i / 7.0) + r.nextGaussian();
        }
        return v;
    }

    static ModelRoute glob(String glob) {
        return new ModelRoute(glob, null, null, null, Path.of("unused.seqcast"));
    }

    static ModelRoute tag(String key, String value) {
        return new ModelRoute(null, null, key, value, Path.of("unused.seqcast"));
    }

    @Test
    void shouldServeEachSeriesWithItsRoutesModelAndNameItInEveryForecast() {
        MultiLayerNetwork defaultNet = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, HORIZON, 11));
        MultiLayerNetwork pumpNet = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, HORIZON, 12));
        MultiLayerNetwork siteNet = Networks.build(NetworkSpec.of(CellType.RNN, List.of(6), 1, HORIZON, 13));
        List<ModelRoute> routes = List.of(glob("pump-*"), tag("site", "north"));
        PipelineConfig p = TestPipelines.stateful().withRoutes(routes);
        ModelRoutes served = new ModelRoutes(
                routes, List.of(Kernels.best(pumpNet, "pump-a", "1"), Kernels.best(siteNet, "north", "7")));
        double[] pump = series(1, 80);
        double[] tagged = series(2, 40);
        double[] other = series(3, 10);
        List<Forecast> out;
        try (Driver d = new Driver(p, Kernels.best(defaultNet, "default", "3"), served, dir)) {
            for (int i = 0; i < LENGTH; i++) {
                d.send("pump-a", T0 + i * STEP, pump[i]);
                d.sendRaw(
                        "meter-9",
                        "{\"series\":\"meter-9\",\"time\":" + (T0 + i * STEP) + ",\"value\":" + tagged[i]
                                + ",\"tags\":{\"site\":\"north\"}}");
                d.send("meter-1", T0 + i * STEP, other[i]);
            }
            out = d.readForecasts();
        }
        Map<String, List<Forecast>> bySeries = out.stream().collect(Collectors.groupingBy(Forecast::series));
        check(bySeries.get("pump-a"), pump, pumpNet, new ModelRef("pump-a", "1"));
        check(bySeries.get("meter-9"), tagged, siteNet, new ModelRef("north", "7"));
        check(bySeries.get("meter-1"), other, defaultNet, new ModelRef("default", "3"));
    }

    @Test
    void shouldServePerSeriesArtifactsOfTrainRoutedByThePipelineFile() throws Exception {
        // seqcast train --per-series: one artifact per series beside --out
        double[] pumpValues = series(7, 80);
        double[] fanValues = series(8, 20);
        List<CsvSeries> data = new ArrayList<>();
        for (var named : List.of(Map.entry("pump", pumpValues), Map.entry("fan", fanValues))) {
            long[] times = new long[LENGTH];
            double[][] rows = new double[LENGTH][];
            for (int i = 0; i < LENGTH; i++) {
                times[i] = T0 + i * STEP;
                rows[i] = new double[] {named.getValue()[i]};
            }
            data.add(new CsvSeries(named.getKey(), times, rows));
        }
        TrainingOptions options = TrainingOptions.defaults(CellType.LSTM, List.of(4))
                .withMaxEpochs(2)
                .withSeed(5);
        ForecastTraining.manyToMany(
                data,
                true,
                options,
                HORIZON,
                "per",
                "4",
                dir.resolve("per.seqcast"),
                new java.io.PrintWriter(java.io.Writer.nullWriter()),
                TrainingProgress.silent());
        java.nio.file.Files.writeString(dir.resolve("machines.yaml"), """
                name: machines
                input:
                  topic: obs
                sampling:
                  interval: PT5M
                model:
                  artifact: %s
                  routes:
                    - series: pump*
                      artifact: per-pump.seqcast
                    - series-regex: "fan|blower"
                      artifact: per-fan.seqcast
                forecast:
                  horizon: %d
                """.formatted(
                        Path.of("models/lstm-2x32.seqcast").toAbsolutePath(), HORIZON));
        PipelineConfig p = PipelineFiles.load(dir).get(0);
        ModelRoutes routes = ModelCatalog.routes(p);
        List<Forecast> out;
        try (Driver d = new Driver(p, ModelCatalog.load(List.of(p)).apply(p), routes, dir.resolve("state"))) {
            for (int i = 0; i < LENGTH; i++) {
                d.send("pump", T0 + i * STEP, pumpValues[i]);
                d.send("fan", T0 + i * STEP, fanValues[i]);
            }
            out = d.readForecasts();
        }
        Map<String, List<Forecast>> bySeries = out.stream().collect(Collectors.groupingBy(Forecast::series));
        check(
                bySeries.get("pump"),
                pumpValues,
                ModelArtifact.read(dir.resolve("per-pump.seqcast")).network(),
                new ModelRef("per-pump", "4"));
        check(
                bySeries.get("fan"),
                fanValues,
                ModelArtifact.read(dir.resolve("per-fan.seqcast")).network(),
                new ModelRef("per-fan", "4"));
    }

    @Test
    void shouldResetTheStateOfASeriesWhoseModelChangesRatherThanContinueAnotherModelsState() {
        // both models of one architecture: only the state's model identity tells them apart
        MultiLayerNetwork first = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, HORIZON, 21));
        MultiLayerNetwork second = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, HORIZON, 22));
        PipelineConfig p = TestPipelines.stateful().withRoutes(List.of(glob("s")));
        SeriesForecaster a = new SeriesForecaster(p, Kernels.best(first, "a", "1"));
        SeriesForecaster b = new SeriesForecaster(p, Kernels.best(second, "b", "1"));
        double[] values = series(5, 50);
        int half = LENGTH / 2;
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState state = a.adopt(null);
        for (int i = 0; i < half; i++) {
            a.process(state, new Observation("s", T0 + i * STEP, new double[] {values[i]}, Map.of()));
        }
        // through the store, as the processor reads it; then served by the other model
        state = b.adopt(serde.deserialize(null, serde.serialize(null, state)));
        assertTrue(b.warmedUp(), "a state stepped by model a is not continued by model b");
        List<Forecast> after = new ArrayList<>();
        for (int i = half; i < LENGTH; i++) {
            var outcome = b.process(state, new Observation("s", T0 + i * STEP, new double[] {values[i]}, Map.of()));
            after.add(((Outcome.Accepted) outcome).forecast());
        }
        // offline: model b from a zero state over the second half, normalised causally over the whole series
        float[] z = Normalizer.normalizeSeries(values);
        float[] tail = java.util.Arrays.copyOfRange(z, half, LENGTH);
        INDArray out = second.output(Nd4j.create(new float[][][] {{tail}}));
        double[] mean = new double[1];
        double[] var = new double[1];
        double worst = 0;
        for (int t = 0; t < LENGTH; t++) {
            Normalizer.update(t, mean, var, 0, values[t]);
            if (t < half) {
                continue;
            }
            double std = Normalizer.std(mean, var, 0);
            Forecast f = after.get(t - half);
            assertEquals(new ModelRef("b", "1"), f.model());
            for (int k = 0; k < HORIZON; k++) {
                double streamedZ = (f.steps().get(k).value() - mean[0]) / std;
                worst = Math.max(worst, Math.abs(streamedZ - out.getDouble(0, k, t - half)));
            }
        }
        assertTrue(worst <= 1e-5, "largest difference from model b's fresh run " + worst);

        // the same model again (another copy) continues the state
        SeriesForecaster again = new SeriesForecaster(p, Kernels.best(second, "b", "1"));
        again.adopt(serde.deserialize(null, serde.serialize(null, state)));
        assertTrue(!again.warmedUp(), "the state's own model continues it");
    }

    /** {@code streamed} names {@code model} and equals {@code net} run offline over {@code values} to 1e-5. */
    static void check(List<Forecast> streamed, double[] values, MultiLayerNetwork net, ModelRef model) {
        assertEquals(LENGTH, streamed.size());
        float[] z = Normalizer.normalizeSeries(values);
        INDArray out = net.output(Nd4j.create(new float[][][] {{z}}));
        double[] mean = new double[1];
        double[] var = new double[1];
        double worst = 0;
        List<ModelRef> named = new ArrayList<>();
        for (int t = 0; t < LENGTH; t++) {
            named.add(streamed.get(t).model());
            Normalizer.update(t, mean, var, 0, values[t]);
            double std = Normalizer.std(mean, var, 0);
            for (int k = 0; k < HORIZON; k++) {
                double streamedZ = (streamed.get(t).steps().get(k).value() - mean[0]) / std;
                worst = Math.max(worst, Math.abs(streamedZ - out.getDouble(0, k, t)));
            }
        }
        assertEquals(List.of(model), named.stream().distinct().toList());
        assertTrue(worst <= 1e-5, model + ": largest difference " + worst + " (normalised units)");
    }
}
