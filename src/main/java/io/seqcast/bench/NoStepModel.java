package io.seqcast.bench;

import io.seqcast.model.ModelInfo;
import io.seqcast.model.SequenceModel;
import java.util.Arrays;

/**
 * The model step removed: same shape and state size as the model it stands for, outputs zeros and leaves the state
 * as it is. The topology around it (parse, state read and write, forecast, alert, sinks) is unchanged, so a run with
 * it measures the Kafka Streams ceiling of the same pipeline.
 */
public final class NoStepModel implements SequenceModel {

    private final ModelInfo info;
    private final int stateSize;

    public NoStepModel(SequenceModel shapeOf) {
        this.info = shapeOf.info();
        this.stateSize = shapeOf.stateSize();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int stateSize() {
        return stateSize;
    }

    @Override
    public void step(int batch, float[] inputs, float[] states, float[] outputs) {
        Arrays.fill(outputs, 0, batch * info.outputSize(), 0f);
    }

    @Override
    public SequenceModel copy() {
        return this;
    }
}
