package io.seqcast.forecast;

/** The model stage's slice: the series' hidden state (stateful mode) or window of observations (windowed mode). */
public final class Recurrent {
    /**
     * Identifies the network architecture the hidden state belongs to (cell, layer sizes, inputs, outputs); 0 when
     * unknown (a state written before format version 2). A model of another architecture resets it. In a pipeline
     * with {@code model.routes} it identifies the model itself ({@link SeriesForecaster#identityOf}: architecture,
     * name and version), so that another model of the same architecture resets it too.
     */
    public int architecture;
    /**
     * Hidden state of every layer (h, and c for LSTM), as laid out by the model, then, for a model that reads
     * differences ({@link io.seqcast.model.ModelInputs}), the normalised values of the previous step, one per feature;
     * empty when windowed.
     */
    public float[] hidden;
    /** Windowed mode: the last observations, raw, ring buffer of {@code length * features}; empty when stateful. */
    public float[] window;
    /** Windowed mode: observations in the window (at most its length). */
    public int windowFill;
    /** Windowed mode: next write position in the ring, in observations. */
    public int windowHead;
    /** Windowed mode: observations since the model last ran. */
    public int sinceRun;
}
