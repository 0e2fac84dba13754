package io.seqcast.forecast;

import io.seqcast.anomaly.AnomalyLikelihood;
import io.seqcast.anomaly.Surprise;
import io.seqcast.state.LegacyState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;

/**
 * Scores the observation's residual against the forecast made for it by its anomaly likelihood
 * ({@link AnomalyLikelihood}), from the statistics before it, then adds it to them. Nothing when no forecast was made
 * for it.
 */
final class LikelihoodStage implements Stage<Surprise> {

    static final int TAG = 5;

    @Override
    public Surprise initial() {
        return new Surprise();
    }

    @Override
    public void observe(Step step, Surprise s) {
        if (step.expected == null) {
            return;
        }
        step.score = AnomalyLikelihood.score(s, step.raw, step.sigmas);
        AnomalyLikelihood.update(s, step.raw);
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public void write(Surprise s, StateOutput out) {
        out.putDouble(s.shortMean).putDouble(s.mean).putDouble(s.var).varint(s.count);
    }

    @Override
    public Surprise read(StateInput in, int version) {
        if (version != 1) {
            throw StateInput.unknownVersion(this, version);
        }
        Surprise s = new Surprise();
        s.shortMean = in.getDouble();
        s.mean = in.getDouble();
        s.var = in.getDouble();
        s.count = (int) in.varint();
        return s;
    }

    @Override
    public Surprise upgrade(LegacyState old) {
        Surprise s = new Surprise();
        s.shortMean = old.surpriseShort;
        s.mean = old.surpriseMean;
        s.var = old.surpriseVar;
        s.count = old.surpriseCount;
        return s;
    }
}
