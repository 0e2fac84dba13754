package io.seqcast.training;

import io.seqcast.model.CellType;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Trainer} trains a forecaster.
 *
 * @param cell recurrent cell of every layer
 * @param hiddenSizes hidden units of each recurrent layer, from the input upwards
 * @param dropout probability of dropping an input of each layer above the first, in {@code [0, 1)}
 * @param learningRate Adam learning rate
 * @param maxEpochs passes over the training data at most
 * @param batchSize series per minibatch
 * @param tbpttLength truncated BPTT segment length; series whose training part is longer are trained in segments of
 *     this many steps, the hidden state carried from one segment to the next as in streaming. 0 = full BPTT.
 * @param validationFraction the last part of every series held out for validation, in {@code (0, 1)}
 * @param patience epochs without a lower validation loss before training stops early
 * @param clipping gradient bound applied before each update, per time step: DL4J's recurrent loss sums over the steps
 *     of a truncated-BPTT segment (or of the whole series), so the trainer hands DL4J this threshold times the segment
 *     length
 * @param seed seed of weight initialisation, dropout and batch order: the same seed gives the same network
 */
public record TrainingOptions(
        CellType cell,
        List<Integer> hiddenSizes,
        double dropout,
        double learningRate,
        int maxEpochs,
        int batchSize,
        int tbpttLength,
        double validationFraction,
        int patience,
        GradientClipping clipping,
        long seed) {

    public TrainingOptions {
        hiddenSizes = List.copyOf(hiddenSizes);
        if (clipping == null) {
            clipping = GradientClipping.defaults();
        }
        List<String> problems = new ArrayList<>();
        if (cell == null) {
            problems.add("cell is null");
        }
        if (hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(n -> n < 1)) {
            problems.add("hidden sizes must be one or more positive widths, got " + hiddenSizes);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            problems.add("dropout must be in [0, 1), got " + dropout);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            problems.add("learning rate must be positive and finite, got " + learningRate);
        }
        if (maxEpochs < 1) {
            problems.add("max epochs must be at least 1, got " + maxEpochs);
        }
        if (batchSize < 1) {
            problems.add("batch size must be at least 1, got " + batchSize);
        }
        if (tbpttLength < 0) {
            problems.add("truncated BPTT length must be 0 (full BPTT) or positive, got " + tbpttLength);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            problems.add("validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (patience < 1) {
            problems.add("patience must be at least 1 epoch, got " + patience);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid training options: " + String.join("; ", problems));
        }
    }

    /**
     * Defaults for a cell and layer widths: no dropout, learning rate 0.01, 50 epochs, batch 16, truncated BPTT over
     * 100 steps, 20% validation, patience 5, {@link GradientClipping#defaults()}, seed 42.
     */
    public static TrainingOptions defaults(CellType cell, List<Integer> hiddenSizes) {
        return new TrainingOptions(cell, hiddenSizes, 0, 0.01, 50, 16, 100, 0.2, 5, GradientClipping.defaults(), 42);
    }

    public TrainingOptions withLearningRate(double value) {
        return new TrainingOptions(
                cell,
                hiddenSizes,
                dropout,
                value,
                maxEpochs,
                batchSize,
                tbpttLength,
                validationFraction,
                patience,
                clipping,
                seed);
    }

    public TrainingOptions withMaxEpochs(int value) {
        return new TrainingOptions(
                cell,
                hiddenSizes,
                dropout,
                learningRate,
                value,
                batchSize,
                tbpttLength,
                validationFraction,
                patience,
                clipping,
                seed);
    }

    public TrainingOptions withBatchSize(int value) {
        return new TrainingOptions(
                cell,
                hiddenSizes,
                dropout,
                learningRate,
                maxEpochs,
                value,
                tbpttLength,
                validationFraction,
                patience,
                clipping,
                seed);
    }

    public TrainingOptions withTbpttLength(int value) {
        return new TrainingOptions(
                cell,
                hiddenSizes,
                dropout,
                learningRate,
                maxEpochs,
                batchSize,
                value,
                validationFraction,
                patience,
                clipping,
                seed);
    }

    public TrainingOptions withClipping(GradientClipping value) {
        return new TrainingOptions(
                cell,
                hiddenSizes,
                dropout,
                learningRate,
                maxEpochs,
                batchSize,
                tbpttLength,
                validationFraction,
                patience,
                value,
                seed);
    }

    public TrainingOptions withSeed(long value) {
        return new TrainingOptions(
                cell,
                hiddenSizes,
                dropout,
                learningRate,
                maxEpochs,
                batchSize,
                tbpttLength,
                validationFraction,
                patience,
                clipping,
                value);
    }
}
