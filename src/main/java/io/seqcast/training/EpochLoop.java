package io.seqcast.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;

/**
 * The epoch loop both trainers run: every epoch the examples are shuffled (seeded) and fitted in minibatches, both
 * losses are measured, the parameters of the best validation loss are kept, gradient warnings are raised, and the
 * loop stops after {@link TrainingOptions#patience} epochs without improvement. On return the network holds the best
 * parameters; a non-finite gradient or loss ends in the trainer's {@link TrainingDivergedException}.
 */
final class EpochLoop {

    /** What a trainer supplies: its batches, its losses, its log line and how it explains a divergence. */
    interface Task {

        /** Fits one minibatch: the examples at {@code members}. */
        void fit(MultiLayerNetwork net, List<Integer> members);

        /** Training and validation loss of the network as it is after an epoch. */
        Losses losses(MultiLayerNetwork net);

        /** Logs the epoch's figures. */
        void logEpoch(EpochReport report);

        /**
         * The exception for a divergence; {@code stopped} says what happened and which parameters the network now
         * holds ({@code "training stopped: ...; ... is kept"}), the trainer adds the likely fix.
         */
        TrainingDivergedException diverged(String stopped, List<EpochReport> history);
    }

    /** Training and validation loss; {@code name} ("MSE", or empty) is how messages call them. */
    record Losses(double train, double validation, String name) {}

    /** The epochs run, the best one and its validation loss, whether patience ran out, and the warnings raised. */
    record Outcome(
            List<EpochReport> history, int bestEpoch, double best, boolean stoppedEarly, List<String> warnings) {}

    private EpochLoop() {}

    /**
     * Runs the epochs over {@code examples} examples (indices {@code 0 .. examples - 1}) with {@code monitor} already
     * listening to {@code net}; removes the listener and restores the best parameters at the end.
     */
    static Outcome run(
            TrainingOptions options,
            MultiLayerNetwork net,
            GradientMonitor monitor,
            int examples,
            TrainingProgress progress,
            Logger log,
            Task task) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples; i++) {
            order.add(i);
        }
        Random random = new Random(options.seed());
        List<EpochReport> history = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> warned = new HashSet<>();
        Map<String, Double> firstNorms = null;
        INDArray bestParams = null;
        int bestEpoch = 0;
        double best = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= options.maxEpochs(); epoch++) {
            monitor.startEpoch(epoch);
            Collections.shuffle(order, random);
            for (int from = 0; from < order.size(); from += options.batchSize()) {
                try {
                    task.fit(net, order.subList(from, Math.min(order.size(), from + options.batchSize())));
                } catch (GradientMonitor.NonFiniteException e) {
                    throw diverged(task, net, bestParams, bestEpoch, history, e.getMessage());
                }
            }
            Losses losses = task.losses(net);
            if (!Double.isFinite(losses.train()) || !Double.isFinite(losses.validation())) {
                String name = losses.name().isEmpty() ? "" : " " + losses.name();
                throw diverged(
                        task,
                        net,
                        bestParams,
                        bestEpoch,
                        history,
                        "non-finite loss (train" + name + " "
                                + losses.train() + ", validation" + name + " " + losses.validation() + ") after epoch "
                                + epoch);
            }
            boolean improved = losses.validation() < best;
            if (improved) {
                best = losses.validation();
                bestEpoch = epoch;
                bestParams = net.params().dup();
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochReport report = new EpochReport(
                    epoch,
                    losses.train(),
                    losses.validation(),
                    monitor.meanScore(),
                    monitor.meanNorms(),
                    monitor.clippedFractions(),
                    improved);
            history.add(report);
            if (firstNorms == null) {
                firstNorms = report.gradientNorms();
            }
            for (String warning : GradientMonitor.warnings(
                    options, report, history.size() > 1 ? history.get(history.size() - 2) : null, firstNorms, warned)) {
                log.warn(warning);
                warnings.add(warning);
                progress.warning(warning);
            }
            task.logEpoch(report);
            progress.epochDone(report);
            if (sinceBest >= options.patience()) {
                stoppedEarly = true;
                break;
            }
        }
        net.setListeners();
        net.setParams(bestParams);
        return new Outcome(history, bestEpoch, best, stoppedEarly, warnings);
    }

    /** Detaches the monitor, restores the best parameters if an epoch finished, and asks the task for its exception. */
    private static TrainingDivergedException diverged(
            Task task,
            MultiLayerNetwork net,
            INDArray bestParams,
            int bestEpoch,
            List<EpochReport> history,
            String what) {
        net.setListeners();
        String kept;
        if (bestParams != null) {
            net.setParams(bestParams);
            kept = "the best network so far (epoch " + bestEpoch + ") is kept";
        } else {
            kept = "no epoch finished; the parameters before the failing update are kept";
        }
        return task.diverged("training stopped: " + what + "; " + kept, history);
    }
}
