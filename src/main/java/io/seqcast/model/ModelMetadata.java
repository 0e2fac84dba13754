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
 * @param shape how inputs map to outputs, a {@link SequenceShape#id()}: {@code many-to-many} (an output at every
 *     step; all version 1 artifacts), {@code many-to-one}, {@code encoder-decoder} or {@code one-to-many}
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
 * @param task what the outputs are: {@value #FORECAST} (future values of the input), {@value #REGRESS} (other values)
 *     or {@value #CLASSIFY} (class probabilities); since format version 2, {@value #FORECAST} for version 1
 * @param classes class names in output order for {@value #CLASSIFY}, else empty; since format version 2
 * @param outputSteps output steps per prediction: {@code M} for encoder-decoder and one-to-many, else 1; since format
 *     version 2
 * @param head a classifier's {@link LinearHead} (log-odds linear in some inputs, added to the network's class scores),
 *     or null (absent from the JSON); since format version {@value ModelArtifact#HEAD_FORMAT_VERSION}, which only an
 *     artifact with a head is written as
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
        String contentHash,
        String task,
        List<String> classes,
        int outputSteps,

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        LinearHead head) {

    /** Outputs are future values of the input series. */
    public static final String FORECAST = "forecast";
    /** Outputs are values other than the input's future. */
    public static final String REGRESS = "regress";
    /** Outputs are class probabilities. */
    public static final String CLASSIFY = "classify";

    public ModelMetadata {
        if (formatVersion == 1) {
            // fields added by format version 2, with the only meaning version 1 had
            task = task == null ? FORECAST : task;
            classes = classes == null ? List.of() : classes;
            outputSteps = outputSteps == 0 ? 1 : outputSteps;
        }
        classes = classes == null ? List.of() : List.copyOf(classes);
        if (!(FORECAST.equals(task) || REGRESS.equals(task) || CLASSIFY.equals(task))) {
            throw new IllegalArgumentException("model " + name + " has task '" + task + "'; expected " + FORECAST + ", "
                    + REGRESS + " or " + CLASSIFY);
        }
        if (CLASSIFY.equals(task) != !classes.isEmpty() || CLASSIFY.equals(task) && classes.size() != outputSize) {
            throw new IllegalArgumentException("model " + name + " has task " + task + ", classes " + classes
                    + " and output size " + outputSize + "; a classifier names one class per output, other tasks none");
        }
        if (outputSteps < 1) {
            throw new IllegalArgumentException("model " + name + " needs output steps >= 1, got " + outputSteps);
        }
        SequenceShape.of(shape); // refuses unknown shapes, naming the known ones
        if (head != null) {
            String misfit = head.misfit(inputFeatures, outputSize);
            if (!CLASSIFY.equals(task) || formatVersion < ModelArtifact.HEAD_FORMAT_VERSION || misfit != null) {
                throw new IllegalArgumentException("model " + name + " has a linear head, which needs a classifier of"
                        + " format version " + ModelArtifact.HEAD_FORMAT_VERSION + " (it has task " + task
                        + ", format version " + formatVersion + ")" + (misfit == null ? "" : "; " + misfit));
            }
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        inputFeatures = List.copyOf(inputFeatures);
        normalisation =
                normalisation == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(normalisation));
        validationMetrics = validationMetrics == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(validationMetrics));
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new IllegalArgumentException(
                    "model name and version must be non-blank, got '" + name + "' and '" + version + "'");
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
            throw new IllegalArgumentException(
                    "model " + name + " creation time '" + createdAt
                            + "' is not ISO-8601 UTC like 2025-01-31T12:00:00Z",
                    e);
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
                null,
                FORECAST,
                List.of(),
                1,
                null);
    }

    /** The shape as an enum. */
    public SequenceShape sequenceShape() {
        return SequenceShape.of(shape);
    }

    /** A builder holding this metadata's fields, to make a copy with some of them changed ({@link Builder#build}). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A copy of a {@link ModelMetadata} with some fields changed: {@code m.toBuilder().version("2").build()}. Starts
     * from every field of the metadata it was made from; {@link #build} checks the result as the constructor does.
     * The cell, inputs, horizon, outputs and window have no setter: a copy describes a network that reads and
     * forecasts what the original's did ({@link ModelMetadata#of} describes a new one).
     */
    public static final class Builder {
        private int formatVersion;
        private String name;
        private String version;
        private CellType cell;
        private String shape;
        private List<Integer> hiddenSizes;
        private List<String> inputFeatures;
        private int inputSize;
        private int horizon;
        private int outputSize;
        private int window;
        private Map<String, Object> normalisation;
        private String trainingDataFingerprint;
        private Map<String, Double> validationMetrics;
        private String createdAt;
        private String contentHash;
        private String task;
        private List<String> classes;
        private int outputSteps;
        private LinearHead head;

        private Builder(ModelMetadata m) {
            formatVersion = m.formatVersion;
            name = m.name;
            version = m.version;
            cell = m.cell;
            shape = m.shape;
            hiddenSizes = m.hiddenSizes;
            inputFeatures = m.inputFeatures;
            inputSize = m.inputSize;
            horizon = m.horizon;
            outputSize = m.outputSize;
            window = m.window;
            normalisation = m.normalisation;
            trainingDataFingerprint = m.trainingDataFingerprint;
            validationMetrics = m.validationMetrics;
            createdAt = m.createdAt;
            contentHash = m.contentHash;
            task = m.task;
            classes = m.classes;
            outputSteps = m.outputSteps;
            head = m.head;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder shape(SequenceShape shape) {
            this.shape = shape.id();
            return this;
        }

        public Builder hiddenSizes(List<Integer> hiddenSizes) {
            this.hiddenSizes = hiddenSizes;
            return this;
        }

        public Builder normalisation(Map<String, Object> normalisation) {
            this.normalisation = normalisation;
            return this;
        }

        public Builder trainingDataFingerprint(String trainingDataFingerprint) {
            this.trainingDataFingerprint = trainingDataFingerprint;
            return this;
        }

        public Builder validationMetrics(Map<String, Double> validationMetrics) {
            this.validationMetrics = validationMetrics;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt.toString();
            return this;
        }

        /** The content hash, or null: {@link ModelArtifact} computes it over the metadata without one. */
        public Builder contentHash(String contentHash) {
            this.contentHash = contentHash;
            return this;
        }

        /** What the outputs are, and for {@value ModelMetadata#CLASSIFY} the class names in output order (else empty). */
        public Builder task(String task, List<String> classes) {
            this.task = task;
            this.classes = classes;
            return this;
        }

        public Builder outputSteps(int outputSteps) {
            this.outputSteps = outputSteps;
            return this;
        }

        /**
         * The linear head (null: none) and the format version that goes with it: {@value
         * ModelArtifact#HEAD_FORMAT_VERSION} with a head, at most {@link ModelArtifact#FORMAT_VERSION} without.
         */
        public Builder head(LinearHead head) {
            this.head = head;
            this.formatVersion = head == null
                    ? Math.min(formatVersion, ModelArtifact.FORMAT_VERSION)
                    : ModelArtifact.HEAD_FORMAT_VERSION;
            return this;
        }

        /**
         * The metadata.
         *
         * @throws IllegalArgumentException as {@link ModelMetadata}'s constructor, when the fields do not fit together
         */
        public ModelMetadata build() {
            return new ModelMetadata(
                    formatVersion,
                    name,
                    version,
                    cell,
                    shape,
                    hiddenSizes,
                    inputFeatures,
                    inputSize,
                    horizon,
                    outputSize,
                    window,
                    normalisation,
                    trainingDataFingerprint,
                    validationMetrics,
                    createdAt,
                    contentHash,
                    task,
                    classes,
                    outputSteps,
                    head);
        }
    }
}
