package io.seqcast.training;

import io.seqcast.model.ModelInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a many-to-many univariate forecaster: at every step {@code t} the network reads {@code x(t)} and outputs
 * {@code x(t+1) .. x(t+H)}.
 *
 * <p>Data contract: each series is already normalised by the caller. Every series is split chronologically: the
 * first {@code 1 - validationFraction} of its steps train, the rest validate. One series is one training sequence
 * (never cut into windows), so the hidden state carries across truncated-BPTT segments as it will in streaming.
 * Steps whose {@code H} targets are not all inside the training part are masked out of the loss. The validation loss
 * is the MSE of the steps {@code t} from the last training step to {@code length - 1 - H} (their targets lie in the
 * validation part), computed by running each whole series from the zero state so the validation part sees its
 * context.
 *
 * <p>Training is reproducible: the same options (seed included) and data give identical parameters. It stops after
 * {@code maxEpochs}, or after {@code patience} epochs without a lower validation loss, and returns the parameters of
 * the best epoch. Gradient clipping thresholds are per time step (see {@link TrainingOptions#clipping()}).
 * Warnings name the layer: exploding gradients (clipping active in most updates of two epochs in a row, not counting
 * the first, or without clipping a norm {@value #EXPLODING_GROWTH} times the first epoch's) and vanishing gradients (mean
 * norm below {@value #VANISHING_NORM} or {@value #VANISHING_RATIO} of the first epoch's). A non-finite loss or gradient stops it with a {@link TrainingDivergedException} before the bad
 * update is applied.
 */
public final class Trainer {

    /** Clipping active in more than this fraction of an epoch's updates is reported as exploding gradients. */
    static final double EXPLODING_CLIPPED_FRACTION = 0.5;
    /** Without clipping, a layer norm this many times its first-epoch norm is reported as exploding. */
    static final double EXPLODING_GROWTH = 1e3;
    /** A mean layer gradient norm below this is reported as vanishing. */
    static final double VANISHING_NORM = 1e-7;
    /** A mean layer gradient norm below this fraction of its first-epoch norm is reported as vanishing. */
    static final double VANISHING_RATIO = 1e-3;

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainingOptions options;
    private final OutputHead head;
    private final ModelInputs inputs;
    private final double decay;

    public Trainer(TrainingOptions options) {
        this(options, OutputHead.REGRESSION);
    }

    /**
     * A trainer of a network with output head {@code head}: {@link OutputHead#REGRESSION} (mean squared error) or
     * {@link OutputHead#MEDIAN} (mean absolute error, which the validation loss then measures too).
     */
    public Trainer(TrainingOptions options, OutputHead head) {
        this(options, head, ModelInputs.VALUES, 1.0);
    }

    /**
     * A trainer as {@link #Trainer(TrainingOptions, OutputHead)} of a network reading {@code inputs} at every step
     * (computed from each normalised series by {@link ModelInputs#series}, as the engine computes them), whose Adam
     * learning rate is multiplied by {@code decay} per epoch (a DL4J {@link ExponentialSchedule} over updates; 1 keeps
     * it constant).
     *
     * @throws IllegalArgumentException if {@code decay} is not in (0, 1]
     */
    public Trainer(TrainingOptions options, OutputHead head, ModelInputs inputs, double decay) {
        if (head == OutputHead.CLASSIFICATION) {
            throw new IllegalArgumentException("a forecaster's head is REGRESSION or MEDIAN, not " + head);
        }
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("learning rate decay per epoch must be in (0, 1], got " + decay);
        }
        this.options = options;
        this.head = head;
        this.inputs = inputs;
        this.decay = decay;
    }

    /**
     * Trains on {@code series}.
     *
     * @param series normalised univariate series, each long enough for at least one training and one validation step
     * @param horizon steps ahead forecast at every step ({@code H}); the network's output size
     * @param progress receives per-update and per-epoch progress and warnings
     * @throws IllegalArgumentException listing every series too short for the split and horizon
     * @throws TrainingDivergedException if the loss or a gradient becomes non-finite
     */
    public TrainingResult train(List<float[]> series, int horizon, TrainingProgress progress) {
        return train(series, horizon, progress, null);
    }

    /**
     * Trains on {@code series} as {@link #train(List, int, TrainingProgress)} does, starting from
     * {@code initialParameters} instead of a random initialisation (warm start, for instance from the version a
     * pipeline serves); the optimiser state starts afresh.
     *
     * @param initialParameters the flat parameters of a network of the same cell, layer widths, one input and
     *     {@code horizon} outputs; null for a random initialisation
     * @throws IllegalArgumentException if {@code initialParameters} does not have this network's parameter count
     */
    public TrainingResult train(
            List<float[]> series, int horizon, TrainingProgress progress, INDArray initialParameters) {
        Split split = split(series, horizon);
        int maxTrain = 0;
        for (int len : split.trainLengths()) {
            maxTrain = Math.max(maxTrain, len);
        }
        int tbptt = options.tbpttLength() > 0 && maxTrain > options.tbpttLength() ? options.tbpttLength() : 0;
        int segment = tbptt > 0 ? tbptt : maxTrain;
        GradientClipping clipping = perSegment(options.clipping(), segment);
        Nd4j.getRandom().setSeed(options.seed());
        List<float[][]> features = new ArrayList<>();
        for (float[] x : series) {
            features.add(inputs.series(x));
        }
        int width = inputs.width(1);
        MultiLayerNetwork net = Networks.build(new NetworkSpec(
                options.cell(),
                options.hiddenSizes(),
                width,
                horizon,
                options.dropout(),
                options.learningRate(),
                clipping,
                tbptt,
                options.seed(),
                io.seqcast.model.SequenceShape.MANY_TO_MANY,
                head,
                1));
        if (initialParameters != null) {
            if (initialParameters.length() != net.numParams()) {
                throw new IllegalArgumentException("warm start needs " + net.numParams() + " parameters for "
                        + options.cell() + " " + options.hiddenSizes() + " horizon " + horizon + "; got "
                        + initialParameters.length() + " (a network of another architecture)");
            }
            net.setParams(initialParameters.dup());
        }

        int iterationsPerEpoch = iterationsPerEpoch(split, tbptt);
        if (decay < 1) {
            net.setLearningRate(new ExponentialSchedule(
                    ScheduleType.ITERATION, options.learningRate(), Math.pow(decay, 1.0 / iterationsPerEpoch)));
        }
        GradientMonitor monitor = new GradientMonitor(net, clipping, progress, iterationsPerEpoch);
        if (clipping.mode() == GradientClipping.Mode.GLOBAL_L2) {
            net.setListeners(monitor, new GlobalNormClipping(net, clipping.threshold()));
        } else {
            net.setListeners(monitor);
        }

        boolean absolute = head == OutputHead.MEDIAN;
        String loss = absolute ? "MAE" : "MSE";
        Errors naive = evaluateNaive(series, split, horizon, absolute);
        EpochLoop.Outcome run =
                EpochLoop.run(options, net, monitor, series.size(), progress, LOG, new EpochLoop.Task() {
                    @Override
                    public void fit(MultiLayerNetwork n, List<Integer> members) {
                        DataSet batch = trainingBatch(series, features, width, split, horizon, members);
                        n.rnnClearPreviousState();
                        n.fit(batch);
                    }

                    @Override
                    public EpochLoop.Losses losses(MultiLayerNetwork n) {
                        n.rnnClearPreviousState();
                        Errors errors = evaluate(n, series, features, width, split, horizon, absolute);
                        return new EpochLoop.Losses(errors.train(), errors.validation(), loss);
                    }

                    @Override
                    public void logEpoch(EpochReport report) {
                        LOG.info(
                                "Epoch {}: train {} {}, validation {} (naive {}), gradient norms {}, clipped {}",
                                report.epoch(),
                                loss,
                                report.trainLoss(),
                                report.validationLoss(),
                                naive.validation(),
                                report.gradientNorms(),
                                report.clippedFraction());
                    }

                    @Override
                    public TrainingDivergedException diverged(String stopped, List<EpochReport> history) {
                        return Trainer.this.diverged(net, stopped, history, series);
                    }
                });
        net.rnnClearPreviousState();
        return new TrainingResult(
                net,
                run.history(),
                run.bestEpoch(),
                run.best(),
                naive.validation(),
                run.stoppedEarly(),
                run.warnings());
    }

    /**
     * DL4J's recurrent loss, and so its gradient, sums over the time steps of a segment; the options' threshold is per
     * time step, so DL4J gets it multiplied by the segment length.
     */
    private static GradientClipping perSegment(GradientClipping perStep, int segment) {
        return perStep.active() && perStep.mode() != GradientClipping.Mode.GLOBAL_L2
                ? new GradientClipping(perStep.mode(), perStep.threshold() * segment)
                : perStep; // the global norm is of the mean loss's gradient (GlobalNormClipping)
    }

    /** Training steps per series; validated so that every series has labelled training and validation steps. */
    private record Split(int[] trainLengths) {}

    /** MSE (or MAE, for the median head) on the training and validation steps. */
    private record Errors(double train, double validation) {}

    private Split split(List<float[]> series, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no series to train on");
        }
        int[] trainLengths = new int[series.size()];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            int len = series.get(i).length;
            int train = (int) Math.round(len * (1 - options.validationFraction()));
            trainLengths[i] = train;
            if (train <= horizon || len - horizon - train + 1 < 1) {
                problems.add("series " + i + " (" + len + " steps, " + train + " for training)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("too short for horizon " + horizon + " and validation fraction "
                    + options.validationFraction() + ": " + String.join(", ", problems)
                    + "; each needs more than " + horizon + " training steps and at least one validation step");
        }
        return new Split(trainLengths);
    }

    private int iterationsPerEpoch(Split split, int tbptt) {
        int[] lengths = split.trainLengths();
        int iterations = 0;
        for (int from = 0; from < lengths.length; from += options.batchSize()) {
            iterations += 1;
        }
        if (tbptt == 0) {
            return iterations;
        }
        // batches are reshuffled every epoch; count with the longest series, which sets the segment count
        int longest = 0;
        for (int len : lengths) {
            longest = Math.max(longest, len);
        }
        return iterations * ((longest + tbptt - 1) / tbptt);
    }

    /** Features [b, width, T], labels [b, H, T], label mask [b, T]; a feature mask only when lengths differ. */
    private static DataSet trainingBatch(
            List<float[]> series, List<float[][]> inputs, int width, Split split, int horizon, List<Integer> members) {
        int b = members.size();
        int steps = 0;
        boolean ragged = false;
        for (int i : members) {
            int len = split.trainLengths()[i];
            ragged |= steps != 0 && steps != len;
            steps = Math.max(steps, len);
        }
        float[] features = new float[b * width * steps];
        float[] labels = new float[b * horizon * steps];
        float[] labelMask = new float[b * steps];
        float[] featureMask = ragged ? new float[b * steps] : null;
        for (int m = 0; m < b; m++) {
            float[] x = series.get(members.get(m));
            float[][] in = inputs.get(members.get(m));
            int train = split.trainLengths()[members.get(m)];
            for (int t = 0; t < train; t++) {
                for (int k = 0; k < width; k++) {
                    features[(m * width + k) * steps + t] = in[t][k];
                }
                if (featureMask != null) {
                    featureMask[m * steps + t] = 1;
                }
                if (t + horizon <= train - 1) {
                    labelMask[m * steps + t] = 1;
                    for (int h = 0; h < horizon; h++) {
                        labels[(m * horizon + h) * steps + t] = x[t + 1 + h];
                    }
                }
            }
        }
        return new DataSet(
                Nd4j.create(features, new long[] {b, width, steps}, 'c'),
                Nd4j.create(labels, new long[] {b, horizon, steps}, 'c'),
                featureMask == null ? null : Nd4j.create(featureMask, new long[] {b, steps}, 'c'),
                Nd4j.create(labelMask, new long[] {b, steps}, 'c'));
    }

    /**
     * Runs every whole series from the zero state (series of equal length together) and scores both parts: mean
     * squared error, or mean absolute error when {@code absolute}.
     */
    private static Errors evaluate(
            MultiLayerNetwork net,
            List<float[]> series,
            List<float[][]> inputs,
            int width,
            Split split,
            int horizon,
            boolean absolute) {
        Map<Integer, List<Integer>> byLength = new TreeMap<>();
        for (int i = 0; i < series.size(); i++) {
            byLength.computeIfAbsent(series.get(i).length, k -> new ArrayList<>())
                    .add(i);
        }
        double[] sums = new double[2];
        long[] counts = new long[2];
        for (Map.Entry<Integer, List<Integer>> group : byLength.entrySet()) {
            int len = group.getKey();
            List<Integer> members = group.getValue();
            float[] features = new float[members.size() * width * len];
            for (int m = 0; m < members.size(); m++) {
                float[][] in = inputs.get(members.get(m));
                for (int t = 0; t < len; t++) {
                    for (int k = 0; k < width; k++) {
                        features[(m * width + k) * len + t] = in[t][k];
                    }
                }
            }
            INDArray out = net.output(Nd4j.create(features, new long[] {members.size(), width, len}, 'c'));
            float[] predictions = out.dup('c').data().asFloat(); // [b, H, len]
            for (int m = 0; m < members.size(); m++) {
                float[] x = series.get(members.get(m));
                int train = split.trainLengths()[members.get(m)];
                for (int t = 0; t + horizon <= len - 1; t++) {
                    int part = part(t, horizon, train);
                    if (part < 0) {
                        continue;
                    }
                    for (int h = 0; h < horizon; h++) {
                        double e = predictions[(m * horizon + h) * len + t] - x[t + 1 + h];
                        sums[part] += absolute ? Math.abs(e) : e * e;
                        counts[part]++;
                    }
                }
            }
        }
        return new Errors(sums[0] / counts[0], sums[1] / counts[1]);
    }

    /** The naive forecast: x(t) for every horizon step. */
    private static Errors evaluateNaive(List<float[]> series, Split split, int horizon, boolean absolute) {
        double[] sums = new double[2];
        long[] counts = new long[2];
        for (int i = 0; i < series.size(); i++) {
            float[] x = series.get(i);
            int train = split.trainLengths()[i];
            for (int t = 0; t + horizon <= x.length - 1; t++) {
                int part = part(t, horizon, train);
                if (part < 0) {
                    continue;
                }
                for (int h = 0; h < horizon; h++) {
                    double e = x[t] - x[t + 1 + h];
                    sums[part] += absolute ? Math.abs(e) : e * e;
                    counts[part]++;
                }
            }
        }
        return new Errors(sums[0] / counts[0], sums[1] / counts[1]);
    }

    /** 0 for a training step (targets inside the training part), 1 for a validation step, -1 for neither. */
    private static int part(int t, int horizon, int train) {
        if (t + horizon <= train - 1) {
            return 0;
        }
        return t >= train - 1 ? 1 : -1;
    }

    private TrainingDivergedException diverged(
            MultiLayerNetwork net, String stopped, List<EpochReport> history, List<float[]> series) {
        net.rnnClearPreviousState();
        String data = firstNonFinite(series);
        String cause = data != null
                ? "the training data is not finite: " + data + "; clean or impute it before training"
                : "lower the learning rate (now " + options.learningRate() + ") or tighten gradient clipping (now "
                        + options.clipping().mode() + " " + options.clipping().threshold() + ")";
        return new TrainingDivergedException(stopped + ". Likely fix: " + cause, net, history);
    }

    private static String firstNonFinite(List<float[]> series) {
        for (int i = 0; i < series.size(); i++) {
            float[] x = series.get(i);
            for (int t = 0; t < x.length; t++) {
                if (!Float.isFinite(x[t])) {
                    return "series " + i + " has " + x[t] + " at step " + t;
                }
            }
        }
        return null;
    }
}
