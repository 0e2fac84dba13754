package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Forecast;
import io.seqcast.forecast.Normalizer;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelInputs;
import io.seqcast.model.SequenceModel;
import io.seqcast.model.WithInputs;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forecasts produced observation by observation through the topology, from the hidden state kept in the state store,
 * with the step kernel production serves ({@link Kernels#best}), equal those of DL4J running the whole (normalised)
 * sequence through the network at once.
 */
class StreamingEqualsOfflineTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;
    static final int HORIZON = 3;
    static final int LENGTH = 120;

    @TempDir
    Path dir;

    static double[] series() {
        double[] v = new double[LENGTH];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < LENGTH; i++) {
            v[i] = 80 + 6 * Math.sin(i / 7.0) + r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(
            value = CellType.class,
            names = {"RNN", "LSTM"})
    void shouldForecastStepByStepWhatTheNetworkComputesOverTheWholeSequence(CellType cell) {
        MultiLayerNetwork net = Networks.build(NetworkSpec.of(cell, List.of(8, 8), 1, HORIZON, 11));
        double[] values = series();
        PipelineConfig p = TestPipelines.stateful();
        List<Forecast> streamed;
        try (Driver d = new Driver(p, Kernels.best(net, "m", "1"), dir)) {
            for (int i = 0; i < LENGTH; i++) {
                d.send("s", T0 + i * STEP, values[i]);
            }
            streamed = d.readForecasts();
        }
        assertEquals(LENGTH, streamed.size());

        // offline: the same causal normalisation, then the whole sequence through DL4J at once
        float[] z = Normalizer.normalizeSeries(values);
        INDArray input = Nd4j.create(new float[][][] {{z}});
        INDArray out = net.output(input);
        double[] mean = new double[1];
        double[] var = new double[1];
        double worst = 0;
        for (int t = 0; t < LENGTH; t++) {
            Normalizer.update(t, mean, var, 0, values[t]);
            double std = Normalizer.std(mean, var, 0);
            for (int k = 0; k < HORIZON; k++) {
                double streamedZ = (streamed.get(t).steps().get(k).value() - mean[0]) / std;
                double offlineZ = out.getDouble(0, k, t);
                worst = Math.max(worst, Math.abs(streamedZ - offlineZ));
            }
        }
        assertTrue(worst <= 1e-5, "largest difference " + worst + " (normalised units)");
    }

    /**
     * A model that reads values and their differences ({@link ModelInputs}, as {@code seqcast train --inputs
     * values-and-differences} trains it): the model stage computes from the series' state what the trainer computes
     * over the whole series.
     */
    @ParameterizedTest
    @EnumSource(
            value = CellType.class,
            names = {"GRU", "LSTM"})
    void shouldFeedADifferenceModelStepByStepWhatTheTrainerFeedsItOverTheWholeSequence(CellType cell) {
        MultiLayerNetwork net = Networks.build(NetworkSpec.of(cell, List.of(8, 8), 2, HORIZON, 13));
        double[] values = series();
        PipelineConfig p = TestPipelines.stateful();
        List<Forecast> streamed;
        SequenceModel model = WithInputs.of(Kernels.best(net, "m", "1"), ModelInputs.VALUES_AND_DIFFERENCES);
        try (Driver d = new Driver(p, model, dir)) {
            for (int i = 0; i < LENGTH; i++) {
                d.send("s", T0 + i * STEP, values[i]);
            }
            streamed = d.readForecasts();
        }
        assertEquals(LENGTH, streamed.size());

        float[][] in = ModelInputs.VALUES_AND_DIFFERENCES.series(Normalizer.normalizeSeries(values));
        float[][][] features = new float[1][2][LENGTH];
        for (int t = 0; t < LENGTH; t++) {
            features[0][0][t] = in[t][0];
            features[0][1][t] = in[t][1];
        }
        INDArray out = net.output(Nd4j.create(features));
        double[] mean = new double[1];
        double[] var = new double[1];
        double worst = 0;
        for (int t = 0; t < LENGTH; t++) {
            Normalizer.update(t, mean, var, 0, values[t]);
            double std = Normalizer.std(mean, var, 0);
            for (int k = 0; k < HORIZON; k++) {
                double streamedZ = (streamed.get(t).steps().get(k).value() - mean[0]) / std;
                worst = Math.max(worst, Math.abs(streamedZ - out.getDouble(0, k, t)));
            }
        }
        assertTrue(worst <= 1e-5, "largest difference " + worst + " (normalised units)");
        // the differences matter: the same network fed the value twice forecasts otherwise
        INDArray twice = net.output(Nd4j.create(new float[][][] {{features[0][0], features[0][0]}}));
        assertTrue(twice.sub(out).amaxNumber().doubleValue() > 1e-3);
    }

    @ParameterizedTest
    @EnumSource(
            value = CellType.class,
            names = {"RNN", "LSTM"})
    void shouldForecastInWindowedModeWhatTheNetworkComputesOverEachWindow(CellType cell) {
        MultiLayerNetwork net = Networks.build(NetworkSpec.of(cell, List.of(8), 1, HORIZON, 5));
        double[] values = series();
        PipelineConfig p = TestPipelines.withMode(TestPipelines.stateful(), PipelineConfig.Mode.WINDOWED);
        int window = p.window().length();
        int stride = p.window().stride();
        List<Forecast> streamed;
        try (Driver d = new Driver(p, Kernels.best(net, "m", "1"), dir)) {
            for (int i = 0; i < LENGTH; i++) {
                d.send("s", T0 + i * STEP, values[i]);
            }
            streamed = d.readForecasts();
        }
        double[] mean = new double[1];
        double[] var = new double[1];
        double worst = 0;
        int runs = 0;
        for (int t = 0; t < LENGTH; t++) {
            Normalizer.update(t, mean, var, 0, values[t]);
            boolean ran = t >= window - 1 && (t - (window - 1)) % stride == 0;
            if (!ran) {
                continue;
            }
            runs++;
            float[] z = new float[window];
            for (int i = 0; i < window; i++) {
                z[i] = Normalizer.normalize(mean, var, 0, values[t - window + 1 + i]);
            }
            INDArray out = net.output(Nd4j.create(new float[][][] {{z}}));
            double std = Normalizer.std(mean, var, 0);
            for (int k = 0; k < HORIZON; k++) {
                double streamedZ = (streamed.get(t).steps().get(k).value() - mean[0]) / std;
                worst = Math.max(worst, Math.abs(streamedZ - out.getDouble(0, k, window - 1)));
            }
        }
        assertTrue(runs > 40, "the model ran " + runs + " times");
        assertTrue(worst <= 1e-5, "largest difference " + worst + " (normalised units)");
    }
}
