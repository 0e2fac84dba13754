package io.seqcast.training;

/** The output layer of a network: what it predicts and the loss it is trained with. */
public enum OutputHead {
    /** Dense linear outputs, mean squared error. */
    REGRESSION,
    /**
     * Dense linear outputs, mean absolute error: forecasts the conditional median, for spiky series judged by their
     * absolute error (an ECG's QRS complexes: a squared loss smears a spike it cannot time exactly over its neighbours).
     */
    MEDIAN,
    /** Dense outputs through softmax, one probability per class, multi-class cross-entropy. */
    CLASSIFICATION
}
