package io.seqcast.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link ModelArtifact} says about the network it holds: identity, shape, the data contract the caller must
 * honour (features, normalisation, window) and provenance (training data fingerprint, validation metrics, time).
 *
 * @param formatVersion artifact format version; {@link ModelArtifact#FORMAT_VERSION} for artifacts written now
 * @param name model name, as published in every forecast and alert
 * @param version model version, as published in every forecast and alert
 * @param cell recurrent cell of every layer
 * @param shape how inputs map to outputs; {@value ModelArtifact#MANY_TO_MANY} (an output at every step) for now
 * @param hiddenSizes hidden units of each recurrent layer, from the input upwards
 * @param inputFeatures names of the input features, in input order; as many as {@code inputSize}
 * @param inputSize features per time step
 * @param horizon steps ahead forecast at every step
 * @param outputSize outputs per time step ({@code horizon} times forecast features)
 * @param window input steps the model sees, or 0 if it is stateful (the hidden state carries the past)
 * @param normalisation how the caller normalises inputs and denormalises outputs, e.g. {@code method=zscore,
 *     mean=.., std=..}
 * @param trainingDataFingerprint identifies the training data (e.g. a hash of it)
 * @param validationMetrics metrics on the validation data, by name (e.g. {@code mse})
 * @param createdAt creation time, ISO-8601 UTC (e.g. {@code 2025-01-31T12:00:00Z})
 * @param contentHash lowercase hex SHA-256 over the network bytes and the canonical metadata without this field; null
 *     until the artifact computes it
 */
public record ModelMetadata(
        int formatVersion,
        String name,
        String version,
        CellType cell,
        String shape,
        List<Integer> hiddenSizes,
        List<String> inputFeatures,
        int inputSize,
        int horizon,
        int outputSize,
        int window,
        Map<String, Object> normalisation,
        String trainingDataFingerprint,
        Map<String, Double> validationMetrics,
        String createdAt,
        String contentHash) {

    public ModelMetadata {
        hiddenSizes = List.copyOf(hiddenSizes);
        inputFeatures = List.copyOf(inputFeatures);
        normalisation = normalisation == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(normalisation));
        validationMetrics =
                validationMetrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(validationMetrics));
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new IllegalArgumentException("model name and version must be non-blank, got '" + name + "' and '"
                    + version + "'");
        }
        if (inputFeatures.size() != inputSize) {
            throw new IllegalArgumentException("model " + name + " lists " + inputFeatures.size() + " input features "
                    + inputFeatures + " but has input size " + inputSize);
        }
        if (horizon < 1 || window < 0) {
            throw new IllegalArgumentException("model " + name + " needs horizon >= 1 and window >= 0 (0 = stateful), "
                    + "got horizon " + horizon + ", window " + window);
        }
        try {
            Instant.parse(createdAt);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("model " + name + " creation time '" + createdAt
                    + "' is not ISO-8601 UTC like 2025-01-31T12:00:00Z", e);
        }
    }

    /**
     * Metadata for a model trained now, with the current format version and no content hash yet.
     *
     * @param info the network's shape and identity
     */
    public static ModelMetadata of(
            ModelInfo info,
            List<String> inputFeatures,
            int horizon,
            int window,
            Map<String, Object> normalisation,
            String trainingDataFingerprint,
            Map<String, Double> validationMetrics,
            Instant createdAt) {
        return new ModelMetadata(
                ModelArtifact.FORMAT_VERSION,
                info.name(),
                info.version(),
                info.cell(),
                ModelArtifact.MANY_TO_MANY,
                info.hiddenSizes(),
                inputFeatures,
                info.inputSize(),
                horizon,
                info.outputSize(),
                window,
                normalisation,
                trainingDataFingerprint,
                validationMetrics,
                createdAt.toString(),
                null);
    }

    /** This metadata with {@code contentHash} replaced. */
    public ModelMetadata withContentHash(String hash) {
        return new ModelMetadata(formatVersion, name, version, cell, shape, hiddenSizes, inputFeatures, inputSize,
                horizon, outputSize, window, normalisation, trainingDataFingerprint, validationMetrics, createdAt, hash);
    }

    /** The creation time. */
    public Instant createdInstant() {
        return Instant.parse(createdAt);
    }
}
