package io.seqcast.training;

import org.deeplearning4j.nn.conf.GradientNormalization;

/**
 * How gradients are bounded before each update. Recurrent networks need this: a single long sequence can make the
 * gradient grow exponentially through time.
 *
 * @param mode which bound
 * @param threshold the bound: absolute value per element, or L2 norm per layer; positive unless {@code mode} is
 *     {@link Mode#NONE}
 */
public record GradientClipping(Mode mode, double threshold) {

    /** The bound applied. */
    public enum Mode {
        /** No clipping. */
        NONE,
        /** Every gradient element clipped to {@code [-threshold, threshold]}. */
        ELEMENT_WISE_ABS,
        /** The gradient of each layer rescaled so that its L2 norm is at most {@code threshold}. */
        L2_PER_LAYER
    }

    public GradientClipping {
        if (mode == null) {
            throw new IllegalArgumentException(
                    "gradient clipping mode is null; use GradientClipping.none() to disable");
        }
        if (mode != Mode.NONE && !(threshold > 0 && Double.isFinite(threshold))) {
            throw new IllegalArgumentException(
                    "gradient clipping threshold must be a positive finite number, got " + threshold + " for " + mode);
        }
    }

    /** The default: the L2 norm of each layer's gradient limited to 1. */
    public static GradientClipping defaults() {
        return new GradientClipping(Mode.L2_PER_LAYER, 1.0);
    }

    /** No clipping. */
    public static GradientClipping none() {
        return new GradientClipping(Mode.NONE, 0);
    }

    /** True unless clipping is off. */
    public boolean active() {
        return mode != Mode.NONE;
    }

    GradientNormalization toDl4j() {
        return switch (mode) {
            case NONE -> GradientNormalization.None;
            case ELEMENT_WISE_ABS -> GradientNormalization.ClipElementWiseAbsoluteValue;
            case L2_PER_LAYER -> GradientNormalization.ClipL2PerLayer;
        };
    }
}
