package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.KernelModelTest;
import io.seqcast.model.SequenceModel;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each shape learns a task it suits, to a stated quality on held-out (the last, validation) examples. */
class SequenceShapesTest {

    private static TrainingOptions options(CellType cell, int hidden, int epochs, double learningRate) {
        return new TrainingOptions(
                cell, List.of(hidden), 0, learningRate, epochs, 32, 0, 0.2, 5, GradientClipping.defaults(), 42);
    }

    /** Windows of 8 values in [-1, 1]: the target is their sum / 4. */
    private static LabelledSequences sums(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> xs = new ArrayList<>();
        List<float[][]> ys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[][] x = new float[8][1];
            float sum = 0;
            for (int t = 0; t < 8; t++) {
                x[t][0] = (float) random.nextDouble(-1, 1);
                sum += x[t][0];
            }
            xs.add(x);
            ys.add(new float[][] {{sum / 4}});
        }
        return new LabelledSequences(xs, ys, List.of());
    }

    @Test
    void manyToOneShouldLearnTheSumOfAWindow() {
        TrainingResult r = new SequenceTrainer(options(CellType.GRU, 16, 10, 0.01), SequenceShape.MANY_TO_ONE)
                .train(sums(600, 1), TrainingProgress.silent());

        // quality: held-out MSE below 5% of the variance of the target (the mean predictor's MSE)
        assertTrue(
                r.bestValidationLoss() < 0.05 * r.naiveValidationLoss(),
                "sum: validation MSE " + r.bestValidationLoss() + " vs mean predictor " + r.naiveValidationLoss());
        SequenceModel kernel = KernelModel.fromNetwork(r.network(), "sum", "1");
        float[][] window = sums(1, 99).inputs().get(0);
        float[][] dl4j = new ShapedModel(r.network(), SequenceShape.MANY_TO_ONE).predict(window);
        float[][] stepped = KernelModelTest.runKernel(kernel, window);
        assertEquals(dl4j[0][0], stepped[window.length - 1][0], 1e-5, "the kernel's last output is the prediction");
    }

    /** Windows of 10 values in [-1, 1], class "positive" if their sum is positive. */
    private static LabelledSequences sumSigns(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> xs = new ArrayList<>();
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            float[][] x = new float[10][1];
            double sum = 0;
            for (int t = 0; t < 10; t++) {
                x[t][0] = (float) random.nextDouble(-1, 1);
                sum += x[t][0];
            }
            xs.add(x);
            labels[i] = sum > 0 ? 1 : 0;
        }
        return LabelledSequences.classes(xs, labels, List.of("negative", "positive"));
    }

    @Test
    void manyToOneShouldClassifyTheSignOfASumThroughSoftmax() {
        LabelledSequences data = sumSigns(1200, 2);
        SequenceTrainer trainer = new SequenceTrainer(options(CellType.LSTM, 16, 15, 0.01), SequenceShape.MANY_TO_ONE);

        TrainingResult r = trainer.train(data, TrainingProgress.silent());

        LabelledSequences held = trainer.validationPart(data);
        ShapedModel model = new ShapedModel(r.network(), SequenceShape.MANY_TO_ONE);
        int[] actual = new int[held.size()];
        int[] predicted = new int[held.size()];
        List<float[][]> probabilities = model.predict(held.inputs());
        for (int i = 0; i < held.size(); i++) {
            actual[i] = held.label(i);
            predicted[i] = LabelledSequences.argmax(probabilities.get(i)[0]);
            assertEquals(1.0, probabilities.get(i)[0][0] + probabilities.get(i)[0][1], 1e-5, "softmax sums to 1");
        }
        ClassificationReport report = ClassificationReport.of(held.classes(), actual, predicted);
        // quality: at least 95% of held-out windows classified right, each class recalled at 90% or more
        assertTrue(report.accuracy() >= 0.95, report.table());
        assertTrue(report.recall(0) >= 0.9 && report.recall(1) >= 0.9, report.table());
        assertTrue(r.bestValidationLoss() < 0.3 * r.naiveValidationLoss(), "cross-entropy " + r.bestValidationLoss());
    }

    /** Sequences of 12 values; the target at step t is the input at step t-2 (0 before). */
    private static LabelledSequences delays(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> xs = new ArrayList<>();
        List<float[][]> ys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[][] x = new float[12][1];
            float[][] y = new float[12][1];
            for (int t = 0; t < 12; t++) {
                x[t][0] = (float) random.nextDouble(-1, 1);
                y[t][0] = t >= 2 ? x[t - 2][0] : 0;
            }
            xs.add(x);
            ys.add(y);
        }
        return new LabelledSequences(xs, ys, List.of());
    }

    @Test
    void manyToManyShouldEchoItsInputTwoStepsLate() {
        TrainingResult r = new SequenceTrainer(options(CellType.GRU, 16, 10, 0.01), SequenceShape.MANY_TO_MANY)
                .train(delays(600, 3), TrainingProgress.silent());

        // quality: held-out MSE below 5% of the mean predictor's
        assertTrue(
                r.bestValidationLoss() < 0.05 * r.naiveValidationLoss(),
                "delay: validation MSE " + r.bestValidationLoss() + " vs " + r.naiveValidationLoss());
    }

    /** Sines of random frequency, phase and amplitude: 16 steps in, the next 6 out. */
    private static LabelledSequences sineContinuations(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> xs = new ArrayList<>();
        List<float[][]> ys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double f = random.nextDouble(0.15, 0.5);
            double phase = random.nextDouble(0, 2 * Math.PI);
            double a = random.nextDouble(0.5, 1.5);
            float[][] x = new float[16][1];
            float[][] y = new float[6][1];
            for (int t = 0; t < 22; t++) {
                float v = (float) (a * Math.sin(f * t + phase));
                if (t < 16) {
                    x[t][0] = v;
                } else {
                    y[t - 16][0] = v;
                }
            }
            xs.add(x);
            ys.add(y);
        }
        return new LabelledSequences(xs, ys, List.of());
    }

    @Test
    void encoderDecoderShouldContinueASineSixStepsFromSixteen() {
        LabelledSequences data = sineContinuations(600, 4);
        TrainingResult r = new SequenceTrainer(options(CellType.LSTM, 24, 15, 0.01), SequenceShape.ENCODER_DECODER)
                .train(data, TrainingProgress.silent());

        // quality: held-out MSE over all 6 steps below 5% of the mean predictor's
        assertTrue(
                r.bestValidationLoss() < 0.05 * r.naiveValidationLoss(),
                "sine continuation: validation MSE " + r.bestValidationLoss() + " vs " + r.naiveValidationLoss());
        float[][] out = new ShapedModel(r.network(), SequenceShape.ENCODER_DECODER)
                .predict(data.inputs().get(0));
        assertEquals(6, out.length, "N = 16 steps in, M = 6 out");
    }

    /** A vector (amplitude, frequency) in; a * sin(f * (t + 1)) for t = 0..9 out. */
    private static LabelledSequences waves(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[][]> xs = new ArrayList<>();
        List<float[][]> ys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double a = random.nextDouble(-1, 1);
            double f = random.nextDouble(0.2, 0.6);
            float[][] y = new float[10][1];
            for (int t = 0; t < 10; t++) {
                y[t][0] = (float) (a * Math.sin(f * (t + 1)));
            }
            xs.add(new float[][] {{(float) a, (float) f}});
            ys.add(y);
        }
        return new LabelledSequences(xs, ys, List.of());
    }

    @Test
    void oneToManyShouldDrawAWaveFromItsParameters() {
        LabelledSequences data = waves(600, 5);
        TrainingResult r = new SequenceTrainer(options(CellType.GRU, 24, 15, 0.01), SequenceShape.ONE_TO_MANY)
                .train(data, TrainingProgress.silent());

        // quality: held-out MSE below 5% of the mean predictor's
        assertTrue(
                r.bestValidationLoss() < 0.05 * r.naiveValidationLoss(),
                "waves: validation MSE " + r.bestValidationLoss() + " vs " + r.naiveValidationLoss());
        assertEquals(
                10,
                new ShapedModel(r.network(), SequenceShape.ONE_TO_MANY)
                        .predict(data.inputs().get(0))
                        .length);
    }

    @Test
    void shouldRefuseDataThatDoesNotFitTheShape() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new SequenceTrainer(options(CellType.RNN, 4, 1, 0.01), SequenceShape.MANY_TO_MANY)
                        .train(sums(20, 1), TrainingProgress.silent()));
        assertTrue(e.getMessage().contains("many-to-many needs as many target steps"), e.getMessage());
        assertEquals(SequenceShape.ENCODER_DECODER, SequenceShape.of("encoder-decoder"));
        assertThrows(IllegalArgumentException.class, () -> SequenceShape.of("two-to-three"));
    }
}
