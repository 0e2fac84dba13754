package io.seqcast.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a stateful forecaster reads per feature at every step, before any covariates: the normalised value alone
 * ({@link #VALUES}, every model trained before difference inputs), or the normalised value then its first difference
 * ({@link #VALUES_AND_DIFFERENCES}): {@code z(t) - z(t-1)}, where {@code z(t-1)} is the normalised value the model read
 * at the previous step, 0 at the first step (the zero state). The difference is scale-free: it does not depend on the
 * series' level.
 *
 * <p>{@code seqcast train} ({@code io.seqcast.training.Trainer}) and the engine's model stage compute the inputs here,
 * so training and serving agree; the artifact's metadata records them as input feature names ({@link #names}), and
 * serving reads them back ({@link #ofInputFeatures}).
 *
 * <p>Layout of the input vector of a model over {@code features} features: the {@code features} normalised values,
 * then (with differences) the {@code features} differences, then the covariates. The previous step's normalised values
 * are carried by the caller ({@link #carried}), after the model's own hidden state.
 */
public enum ModelInputs {
    /** The normalised value of each feature. */
    VALUES("values"),
    /** The normalised value of each feature, then its first difference. */
    VALUES_AND_DIFFERENCES("values-and-differences");

    /** Suffix of a difference input's feature name in a model's metadata, e.g. {@code value.difference}. */
    public static final String DIFFERENCE_SUFFIX = ".difference";

    private final String id;

    ModelInputs(String id) {
        this.id = id;
    }

    /** Its name in commands and messages. */
    public String id() {
        return id;
    }

    /** Whether the model reads differences. */
    public boolean differences() {
        return this == VALUES_AND_DIFFERENCES;
    }

    /** Inputs per step for {@code features} features (without covariates). */
    public int width(int features) {
        return differences() ? 2 * features : features;
    }

    /** Floats the caller carries from step to step for {@code features} features: the previous normalised values. */
    public int carried(int features) {
        return differences() ? features : 0;
    }

    /** The input feature names for the value features {@code values}, in input order (without covariates). */
    public List<String> names(List<String> values) {
        List<String> out = new ArrayList<>(values);
        if (differences()) {
            for (String v : values) {
                out.add(v + DIFFERENCE_SUFFIX);
            }
        }
        return out;
    }

    /** The inputs a model whose metadata lists {@code inputFeatures} reads: differences when any name says so. */
    public static ModelInputs ofInputFeatures(List<String> inputFeatures) {
        for (String f : inputFeatures) {
            if (f.endsWith(DIFFERENCE_SUFFIX)) {
                return VALUES_AND_DIFFERENCES;
            }
        }
        return VALUES;
    }

    /** The inputs named {@code id}; refuses an unknown name, naming the known ones. */
    public static ModelInputs of(String id) {
        for (ModelInputs m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model inputs '" + id + "'; use values or values-and-differences");
    }

    /**
     * Writes one step's inputs: the normalised values {@code z[0 .. features)} at {@code out[offset ..]}, then (with
     * differences) {@code z[f] - previous[carriedAt + f]} after them; and keeps {@code z} as the previous values in
     * {@code previous[carriedAt ..]} for the next step.
     */
    public void fill(float[] z, int features, float[] previous, int carriedAt, float[] out, int offset) {
        System.arraycopy(z, 0, out, offset, features);
        if (differences()) {
            for (int f = 0; f < features; f++) {
                out[offset + features + f] = z[f] - previous[carriedAt + f];
                previous[carriedAt + f] = z[f];
            }
        }
    }

    /**
     * The inputs over a whole normalised univariate series from the zero state, {@code [steps][width(1)]}: what the
     * model reads at each step when it is stepped through {@code z} from the start ({@link #fill} step after step).
     */
    public float[][] series(float[] z) {
        float[][] out = new float[z.length][width(1)];
        float[] previous = new float[1];
        float[] one = new float[1];
        for (int t = 0; t < z.length; t++) {
            one[0] = z[t];
            fill(one, 1, previous, 0, out[t], 0);
        }
        return out;
    }
}
