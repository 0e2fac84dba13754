package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.SequenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** Noisy sines of different phases and periods, z-score normalised together. */
    static List<float[]> noisySines(int count, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> raw = new ArrayList<>();
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int s = 0; s < count; s++) {
            double phase = random.nextDouble(0, 2 * Math.PI);
            double period = 20 + 4 * s;
            float[] x = new float[length];
            for (int t = 0; t < length; t++) {
                double v = 5 + 2 * Math.sin(2 * Math.PI * t / period + phase) + 0.2 * random.nextGaussian();
                x[t] = (float) v;
                sum += v;
                sumSq += v * v;
                n++;
            }
            raw.add(x);
        }
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        for (float[] x : raw) {
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) ((x[t] - mean) / std);
            }
        }
        return raw;
    }

    private static TrainingOptions lstm16() {
        return new TrainingOptions(
                CellType.LSTM, List.of(16), 0, 0.02, 8, 4, 50, 0.2, 4, GradientClipping.defaults(), 7);
    }

    @Test
    void shouldBeatTheNaiveForecastOnANoisySine() {
        AtomicInteger iterations = new AtomicInteger();
        List<EpochReport> epochs = new ArrayList<>();
        TrainingProgress progress = new TrainingProgress() {
            @Override
            public void iteration(int epoch, int iteration, int iterationsPerEpoch, double score) {
                iterations.incrementAndGet();
            }

            @Override
            public void epochDone(EpochReport report) {
                epochs.add(report);
            }
        };

        TrainingResult result = new Trainer(lstm16()).train(noisySines(8, 300, 1), 1, progress);

        assertTrue(
                result.bestValidationLoss() < 0.7 * result.naiveValidationLoss(),
                "validation MSE " + result.bestValidationLoss() + " (epoch " + result.bestEpoch()
                        + ") should beat the naive last-value MSE " + result.naiveValidationLoss() + " by 30%");
        assertEquals(result.history(), epochs);
        assertTrue(iterations.get() > 0);
        EpochReport first = result.history().get(0);
        assertEquals(
                List.of("lstm_0", "output"), List.copyOf(first.gradientNorms().keySet()));
        assertTrue(
                first.gradientNorms().values().stream().allMatch(v -> v > 0 && Double.isFinite(v)),
                first.gradientNorms().toString());
        double kernelMse = kernelValidationMse(result, noisySines(8, 300, 1));
        assertEquals(result.bestValidationLoss(), kernelMse, 1e-4, "the kernel streams the same forecasts");
    }

    @Test
    void shouldTrainAGruForecasterThatBeatsTheNaiveForecast() {
        TrainingOptions gru = new TrainingOptions(
                CellType.GRU, List.of(16), 0, 0.02, 8, 4, 50, 0.2, 4, GradientClipping.defaults(), 7);
        List<float[]> data = noisySines(8, 300, 1);

        TrainingResult result = new Trainer(gru).train(data, 1, TrainingProgress.silent());

        assertTrue(
                result.bestValidationLoss() < 0.7 * result.naiveValidationLoss(),
                "GRU validation MSE " + result.bestValidationLoss() + " should beat the naive last-value MSE "
                        + result.naiveValidationLoss() + " by 30%");
        assertEquals(
                List.of("gru_0", "output"),
                List.copyOf(result.history().get(0).gradientNorms().keySet()));
        assertEquals(
                result.bestValidationLoss(),
                kernelValidationMse(result, data),
                1e-4,
                "the kernel streams the GRU's forecasts");
    }

    @Test
    void shouldTrainAMedianForecasterOnTheAbsoluteError() {
        List<float[]> data = noisySines(2, 120, 1);

        TrainingResult result =
                new Trainer(lstm16().withMaxEpochs(1), OutputHead.MEDIAN).train(data, 1, TrainingProgress.silent());

        var output = (org.deeplearning4j.nn.conf.layers.RnnOutputLayer)
                result.network().getOutputLayer().conf().getLayer();
        assertTrue(output.getLossFn() instanceof org.nd4j.linalg.lossfunctions.impl.LossMAE, output.toString());
        double naive = 0;
        double model = 0;
        long n = 0;
        for (float[] x : data) {
            result.network().rnnClearPreviousState();
            float[] out = result.network()
                    .output(org.nd4j.linalg.factory.Nd4j.create(x, new long[] {1, 1, x.length}, 'c'))
                    .dup('c')
                    .data()
                    .asFloat();
            int train = (int) Math.round(x.length * 0.8);
            for (int t = train - 1; t + 1 <= x.length - 1; t++) {
                naive += Math.abs(x[t] - x[t + 1]);
                model += Math.abs(out[t] - x[t + 1]);
                n++;
            }
        }
        assertEquals(naive / n, result.naiveValidationLoss(), 1e-6, "the naive validation loss is its MAE");
        assertEquals(model / n, result.bestValidationLoss(), 1e-4, "the validation loss is the network's MAE");
        assertThrows(IllegalArgumentException.class, () -> new Trainer(lstm16(), OutputHead.CLASSIFICATION));
    }

    @Test
    void shouldGiveIdenticalParametersForTheSameSeed() {
        TrainingOptions options = lstm16().withMaxEpochs(2);
        List<float[]> data = noisySines(4, 120, 2);

        TrainingResult a = new Trainer(options).train(data, 2, TrainingProgress.silent());
        TrainingResult b = new Trainer(options).train(data, 2, TrainingProgress.silent());
        TrainingResult c = new Trainer(options.withSeed(8)).train(data, 2, TrainingProgress.silent());

        assertEquals(a.network().params(), b.network().params());
        assertEquals(a.history(), b.history());
        assertFalse(a.network().params().equals(c.network().params()), "another seed gives another network");
    }

    @Test
    void shouldStopWithANonFiniteLossMessageOnNaNData() {
        List<float[]> data = noisySines(2, 100, 3);
        data.get(1)[17] = Float.NaN;

        TrainingDivergedException e = assertThrows(
                TrainingDivergedException.class, () -> new Trainer(lstm16()).train(data, 1, TrainingProgress.silent()));

        assertTrue(e.getMessage().contains("non-finite loss"), e.getMessage());
        assertTrue(e.getMessage().contains("series 1 has NaN at step 17"), e.getMessage());
        for (float p : e.lastGood().params().toFloatVector()) {
            assertTrue(Float.isFinite(p), "kept parameters are finite");
        }
    }

    @Test
    void shouldStopWithANonFiniteLossMessageOnAHugeLearningRate() {
        TrainingOptions options = lstm16().withLearningRate(1e20).withClipping(GradientClipping.none());

        TrainingDivergedException e = assertThrows(
                TrainingDivergedException.class,
                () -> new Trainer(options).train(noisySines(2, 100, 4), 1, TrainingProgress.silent()));

        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    }

    @Test
    void shouldWarnByLayerNameWhenClippingIsActiveInMostUpdates() {
        List<String> warnings = new ArrayList<>();
        TrainingOptions options =
                lstm16().withMaxEpochs(3).withClipping(new GradientClipping(GradientClipping.Mode.L2_PER_LAYER, 1e-6));

        TrainingResult result = new Trainer(options).train(noisySines(2, 80, 5), 1, new TrainingProgress() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        });

        assertEquals(result.warnings(), warnings);
        assertTrue(
                warnings.stream().anyMatch(w -> w.startsWith("layer lstm_0: gradients are exploding")),
                warnings.toString());
    }

    @Test
    void shouldListEverySeriesTooShortForTheSplit() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Trainer(lstm16())
                        .train(List.of(new float[100], new float[3], new float[4]), 2, TrainingProgress.silent()));
        assertTrue(
                e.getMessage().contains("series 1 (3 steps") && e.getMessage().contains("series 2 (4 steps"),
                e.getMessage());
    }

    /** Streams each series through the kernel and scores the validation steps as the trainer does for H = 1. */
    private static double kernelValidationMse(TrainingResult result, List<float[]> data) {
        SequenceModel model = KernelModel.fromNetwork(result.network(), "sine", "1");
        double sum = 0;
        long count = 0;
        for (float[] x : data) {
            int train = (int) Math.round(x.length * 0.8);
            float[] state = new float[model.stateSize()];
            float[] out = new float[1];
            for (int t = 0; t < x.length - 1; t++) {
                model.step(1, new float[] {x[t]}, state, out);
                if (t >= train - 1) {
                    double e = out[0] - x[t + 1];
                    sum += e * e;
                    count++;
                }
            }
        }
        return sum / count;
    }
}
