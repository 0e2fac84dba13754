package io.seqcast.model;

import java.util.List;

/**
 * Shape and identity of a recurrent model.
 *
 * @param name model name, as published in every forecast and alert
 * @param version model version, as published in every forecast and alert
 * @param cell recurrent cell of every layer
 * @param hiddenSizes hidden units of each recurrent layer, from the input upwards
 * @param inputSize features per time step
 * @param outputSize outputs per time step (for a forecaster: horizon times features)
 */
public record ModelInfo(
        String name, String version, CellType cell, List<Integer> hiddenSizes, int inputSize, int outputSize) {

    public ModelInfo {
        hiddenSizes = List.copyOf(hiddenSizes);
        if (hiddenSizes.isEmpty()) {
            throw new IllegalArgumentException("a recurrent model needs at least one layer");
        }
    }

    /** Floats of hidden state per series for this shape. */
    public int stateSize() {
        return hiddenSizes.stream().mapToInt(cell::stateSize).sum();
    }
}
