package io.seqcast.testing;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.SequenceModel;
import java.util.List;

/**
 * A small deterministic recurrent model for engine tests that do not need a trained network: one tanh layer of
 * {@code hidden} units with fixed pseudo-random weights, output {@code horizon * inputs} linear units.
 */
public final class TinyModel implements SequenceModel {

    private final ModelInfo info;
    private final int hidden;
    private final float[] u;
    private final float[] v;
    private final float[] w;
    private final float[] next;

    public TinyModel(int inputs, int hidden, int horizon) {
        this.info = new ModelInfo("tiny", "1", CellType.RNN, List.of(hidden), inputs, horizon * inputs);
        this.hidden = hidden;
        java.util.Random r = new java.util.Random(42);
        u = new float[inputs * hidden];
        v = new float[hidden * hidden];
        w = new float[hidden * info.outputSize()];
        for (int i = 0; i < u.length; i++) u[i] = (float) r.nextGaussian() * 0.5f;
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() * 0.3f;
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.3f;
        next = new float[hidden];
    }

    private TinyModel(TinyModel other) {
        this.info = other.info;
        this.hidden = other.hidden;
        this.u = other.u;
        this.v = other.v;
        this.w = other.w;
        this.next = new float[hidden];
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int stateSize() {
        return hidden;
    }

    @Override
    public void step(int batch, float[] inputs, float[] states, float[] outputs) {
        int in = info.inputSize();
        int out = info.outputSize();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                float a = 0;
                for (int i = 0; i < in; i++) a += inputs[b * in + i] * u[i * hidden + j];
                for (int k = 0; k < hidden; k++) a += states[b * hidden + k] * v[k * hidden + j];
                next[j] = (float) Math.tanh(a);
            }
            System.arraycopy(next, 0, states, b * hidden, hidden);
            for (int o = 0; o < out; o++) {
                float a = 0;
                for (int j = 0; j < hidden; j++) a += next[j] * w[j * out + o];
                outputs[b * out + o] = a;
            }
        }
    }

    @Override
    public SequenceModel copy() {
        return new TinyModel(this);
    }
}
