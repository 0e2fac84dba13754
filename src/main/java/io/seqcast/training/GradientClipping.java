package io.seqcast.training;

import org.deeplearning4j.nn.conf.GradientNormalization;

/**
 * How gradients are bounded before each update. Recurrent networks need this: a single long sequence can make the
 * gradient grow exponentially through time.
 *
 * @param mode which bound
 * @param threshold the bound: absolute value per element, L2 norm per layer, or L2 norm of the whole mean-loss
 *     gradient; positive unless {@code mode} is {@link Mode#NONE}
 */
public record GradientClipping(Mode mode, double threshold) {

    /** The bound applied. */
    public enum Mode {
        /** No clipping. */
        NONE,
        /** Every gradient element clipped to {@code [-threshold, threshold]}. */
        ELEMENT_WISE_ABS,
        /** The gradient of each layer rescaled so that its L2 norm is at most {@code threshold}. */
        L2_PER_LAYER,
        /**
         * The whole network's gradient rescaled so that the L2 norm of the gradient of the loss averaged over the
         * minibatch's labelled steps is at most {@code threshold} ({@link GlobalNormClipping}; DL4J has no such mode).
         * The threshold is not per time step: it bounds the mean loss's gradient, whatever the segment length.
         */
        GLOBAL_L2
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

    /** The global-norm bound {@code threshold} ({@link Mode#GLOBAL_L2}). */
    public static GradientClipping globalNorm(double threshold) {
        return new GradientClipping(Mode.GLOBAL_L2, threshold);
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
            case GLOBAL_L2 -> GradientNormalization.None; // applied by GlobalNormClipping, a listener
        };
    }
}
