package io.seqcast.training;

/** The output layer of a network: what it predicts and the loss it is trained with. */
public enum OutputHead {
    /** Dense linear outputs, mean squared error. */
    REGRESSION,
    /** Dense outputs through softmax, one probability per class, multi-class cross-entropy. */
    CLASSIFICATION
}
