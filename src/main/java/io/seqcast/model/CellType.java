package io.seqcast.model;

/**
 * The recurrent cells seqcast implements, and what every kernel needs to know about one: its gate blocks (in DL4J's
 * column order), which of them pass through a sigmoid, and how many floats of state a layer of it keeps per series.
 * The equations are stated on {@link KernelModel}.
 */
public enum CellType {
    /** h(t) = tanh(x(t)U + h(t-1)V + b). One block; state {@code h}. */
    RNN(1, 1),
    /**
     * Long short-term memory: blocks cell input, forget, output, input gate (the last three sigmoid); state {@code h}
     * then {@code c}.
     */
    LSTM(4, 2),
    /** Gated recurrent unit: blocks reset, update (both sigmoid), candidate; state {@code h}. */
    GRU(3, 1);

    private final int gates;
    private final int stateVectors;

    CellType(int gates, int stateVectors) {
        this.gates = gates;
        this.stateVectors = stateVectors;
    }

    /** Gate blocks of {@code n} columns each in a layer's {@code W}, {@code RW} and {@code b}. */
    public int gates() {
        return gates;
    }

    /** True when gate block {@code gate} (0-based, DL4J's order) is a sigmoid gate rather than a tanh block. */
    public boolean sigmoidGate(int gate) {
        return switch (this) {
            case RNN -> false;
            case LSTM -> gate > 0;
            case GRU -> gate < 2;
        };
    }

    /** Floats of state a layer of {@code units} units keeps per series, laid out as {@link SequenceModel} states. */
    public int stateSize(int units) {
        return stateVectors * units;
    }
}
