package io.seqcast.training;

import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network of any {@link SequenceShape} on {@link LabelledSequences}: windows to a value or a class
 * (many-to-one), sequence to sequence of equal length (many-to-many), {@code N} steps to {@code M} steps
 * (encoder-decoder), a vector to a sequence (one-to-many).
 *
 * <p>Examples are taken to be in chronological order: the last {@code validationFraction} of them validate, the rest
 * train (shuffled, seeded, every epoch). Losses are computed here, without dropout, in one unit per head: regression
 * the mean squared error per output value, classification the mean cross-entropy per example. The naive baseline is
 * the training targets' mean (regression) or class frequencies (classification). Early stopping, gradient clipping
 * (per labelled time step, as {@link Trainer}), per-layer gradient norms, exploding/vanishing warnings and the
 * non-finite stop behave as in {@link Trainer}. Training is reproducible for the same options and data.
 */
public final class SequenceTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SequenceTrainer.class);

    private final TrainingOptions options;
    private final SequenceShape shape;

    public SequenceTrainer(TrainingOptions options, SequenceShape shape) {
        this.options = options;
        this.shape = shape;
    }

    /**
     * Trains on {@code data}.
     *
     * @throws IllegalArgumentException if the data does not fit the shape or is too small to split
     * @throws TrainingDivergedException if the loss or a gradient becomes non-finite
     */
    public TrainingResult train(LabelledSequences data, TrainingProgress progress) {
        int validation = (int) Math.round(data.size() * options.validationFraction());
        if (validation < 1 || data.size() - validation < 1) {
            throw new IllegalArgumentException(data.size() + " examples are too few to hold out "
                    + options.validationFraction() + " for validation; give more examples");
        }
        return train(
                data.slice(0, data.size() - validation), data.slice(data.size() - validation, data.size()), progress);
    }

    /** Trains on {@code train}, stopping early and choosing the best epoch on {@code valid}. */
    public TrainingResult train(LabelledSequences train, LabelledSequences valid, TrainingProgress progress) {
        requireFits(train);
        requireFits(valid);
        if (options.clipping().mode() == GradientClipping.Mode.GLOBAL_L2) {
            throw new IllegalArgumentException("global-norm gradient clipping is for stateful (many-to-many)"
                    + " forecasters; clip windowed models per layer");
        }
        LabelledSequences data = train;
        OutputHead head = data.isClassification() ? OutputHead.CLASSIFICATION : OutputHead.REGRESSION;
        int labelledSteps = shape == SequenceShape.MANY_TO_ONE ? 1 : data.outputSteps();
        GradientClipping clipping = options.clipping().active()
                ? new GradientClipping(
                        options.clipping().mode(), options.clipping().threshold() * labelledSteps)
                : options.clipping();
        Nd4j.getRandom().setSeed(options.seed());
        NetworkSpec spec = new NetworkSpec(
                options.cell(),
                options.hiddenSizes(),
                data.inputSize(),
                data.outputSize(),
                options.dropout(),
                options.learningRate(),
                clipping,
                0,
                options.seed(),
                shape,
                head,
                shape.steppable() ? 1 : data.outputSteps());
        MultiLayerNetwork net = Networks.build(spec);
        int batches = (train.size() + options.batchSize() - 1) / options.batchSize();
        GradientMonitor monitor = new GradientMonitor(net, clipping, progress, batches);
        net.setListeners(monitor);
        double naive = naiveLoss(train, valid);

        ShapedModel model = new ShapedModel(net, shape);
        EpochLoop.Outcome run = EpochLoop.run(options, net, monitor, train.size(), progress, LOG, new EpochLoop.Task() {
            @Override
            public void fit(MultiLayerNetwork n, List<Integer> members) {
                n.fit(dataSet(train, members));
            }

            @Override
            public EpochLoop.Losses losses(MultiLayerNetwork n) {
                return new EpochLoop.Losses(loss(model, train), loss(model, valid), "");
            }

            @Override
            public void logEpoch(EpochReport report) {
                LOG.info(
                        "Epoch {} ({}): train loss {}, validation loss {} (naive {}), gradient norms {}",
                        report.epoch(),
                        shape,
                        report.trainLoss(),
                        report.validationLoss(),
                        naive,
                        report.gradientNorms());
            }

            @Override
            public TrainingDivergedException diverged(String stopped, List<EpochReport> history) {
                return SequenceTrainer.this.diverged(net, stopped, history);
            }
        });
        return new TrainingResult(
                net, run.history(), run.bestEpoch(), run.best(), naive, run.stoppedEarly(), run.warnings());
    }

    /** The validation examples of {@code data} under this trainer's split. */
    public LabelledSequences validationPart(LabelledSequences data) {
        int validation = (int) Math.round(data.size() * options.validationFraction());
        return data.slice(data.size() - validation, data.size());
    }

    private void requireFits(LabelledSequences data) {
        String problem = switch (shape) {
            case MANY_TO_ONE -> data.outputSteps() == 1 ? null : "many-to-one needs one target step";
            case MANY_TO_MANY ->
                data.outputSteps() == data.inputSteps()
                        ? null
                        : "many-to-many needs as many target steps as input steps";
            case ONE_TO_MANY -> data.inputSteps() == 1 ? null : "one-to-many needs a one-step input";
            case ENCODER_DECODER -> null;
        };
        if (problem == null && data.isClassification() && shape != SequenceShape.MANY_TO_ONE) {
            problem = "classification is trained as many-to-one";
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + "; got inputs of " + data.inputSteps() + " steps and targets"
                    + " of " + data.outputSteps() + " steps");
        }
    }

    /** Features, labels and, for many-to-one, a label mask selecting the last step. */
    private DataSet dataSet(LabelledSequences data, List<Integer> members) {
        List<float[][]> inputs = new ArrayList<>(members.size());
        for (int i : members) {
            inputs.add(data.inputs().get(i));
        }
        INDArray features = ShapedModel.features(shape, inputs);
        int b = members.size();
        int outputs = data.outputSize();
        int steps = shape == SequenceShape.MANY_TO_ONE ? data.inputSteps() : data.outputSteps();
        float[] labels = new float[b * outputs * steps];
        float[] mask = shape == SequenceShape.MANY_TO_ONE ? new float[b * steps] : null;
        for (int m = 0; m < b; m++) {
            float[][] y = data.targets().get(members.get(m));
            int first = shape == SequenceShape.MANY_TO_ONE ? steps - 1 : 0;
            for (int t = 0; t < y.length; t++) {
                for (int k = 0; k < outputs; k++) {
                    labels[(m * outputs + k) * steps + first + t] = y[t][k];
                }
            }
            if (mask != null) {
                mask[m * steps + steps - 1] = 1;
            }
        }
        return new DataSet(
                features,
                Nd4j.create(labels, new long[] {b, outputs, steps}, 'c'),
                null,
                mask == null ? null : Nd4j.create(mask, new long[] {b, steps}, 'c'));
    }

    /** MSE per output value (regression) or mean cross-entropy per example (classification). */
    static double loss(ShapedModel model, LabelledSequences data) {
        List<float[][]> predictions = model.predict(data.inputs());
        double sum = 0;
        long count = 0;
        for (int i = 0; i < data.size(); i++) {
            float[][] y = data.targets().get(i);
            float[][] p = predictions.get(i);
            if (data.isClassification()) {
                sum -= Math.log(Math.max(1e-12, p[0][data.label(i)]));
                count++;
            } else {
                for (int t = 0; t < y.length; t++) {
                    for (int k = 0; k < y[t].length; k++) {
                        double e = p[t][k] - y[t][k];
                        sum += e * e;
                        count++;
                    }
                }
            }
        }
        return sum / count;
    }

    private static double naiveLoss(LabelledSequences train, LabelledSequences valid) {
        int steps = train.outputSteps();
        int outputs = train.outputSize();
        double[][] mean = new double[steps][outputs];
        for (float[][] y : train.targets()) {
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < outputs; k++) {
                    mean[t][k] += y[t][k] / train.size();
                }
            }
        }
        double sum = 0;
        long count = 0;
        for (int i = 0; i < valid.size(); i++) {
            float[][] y = valid.targets().get(i);
            if (valid.isClassification()) {
                sum -= Math.log(Math.max(1e-12, mean[0][valid.label(i)]));
                count++;
            } else {
                for (int t = 0; t < steps; t++) {
                    for (int k = 0; k < outputs; k++) {
                        double e = mean[t][k] - y[t][k];
                        sum += e * e;
                        count++;
                    }
                }
            }
        }
        return sum / count;
    }

    private TrainingDivergedException diverged(MultiLayerNetwork net, String stopped, List<EpochReport> history) {
        return new TrainingDivergedException(
                stopped
                        + ". Likely fix: check the data for NaN or infinite values, lower the learning rate (now "
                        + options.learningRate() + ") or tighten gradient clipping (now "
                        + options.clipping().mode() + " "
                        + options.clipping().threshold() + ")",
                net,
                history);
    }
}
