package io.seqcast.model;

/** The recurrent cells seqcast implements. */
public enum CellType {
    /** h(t) = tanh(x(t)U + h(t-1)V + b). */
    RNN,
    /** Long short-term memory: forget, input and output gates and a cell state. */
    LSTM,
    /** Gated recurrent unit: reset and update gates. */
    GRU
}
