package io.seqcast.forecast;

import io.seqcast.anomaly.AnomalyLikelihood;
import io.seqcast.anomaly.LikelihoodState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;

/**
 * The anomaly likelihood of the observation's forecast residual ({@link AnomalyLikelihood}): its verdict
 * ({@link Step#likelihood}) from the statistics before it, then the residual is added to them. Nothing when no
 * forecast was made for it. The novelty stage fuses the verdict into the score.
 *
 * <p>Section versions: 2 (written) is the {@link LikelihoodState} of issue 18 (its own residual scale, episode flags,
 * calibrated alert level); 1 held the statistics of another raw surprise, which meant something else: read and
 * dropped, the likelihood warms up again (as it does for states of formats before sections).
 */
final class LikelihoodStage implements Stage<LikelihoodState> {

    static final int TAG = 5;
    private static final int RED = 1;
    private static final int ABOVE = 2;
    private static final int EPISODE = 4;

    private final double falseAlertRate;

    LikelihoodStage(double falseAlertRate) {
        this.falseAlertRate = falseAlertRate;
    }

    @Override
    public LikelihoodState initial() {
        return new LikelihoodState();
    }

    @Override
    public void observe(Step step, LikelihoodState s) {
        if (step.expected == null) {
            return;
        }
        step.likelihood = AnomalyLikelihood.observe(s, step.x - step.expected.value(), falseAlertRate);
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public int version() {
        return 2;
    }

    /** Doubles (residual mean square, short mean, mean, variance, alert level), varint counts, a flags byte. */
    @Override
    public void write(LikelihoodState s, StateOutput out) {
        out.putDouble(s.residualMs)
                .putDouble(s.shortMean)
                .putDouble(s.mean)
                .putDouble(s.var)
                .putDouble(s.alertLevel);
        out.varint(s.residualCount).varint(s.count);
        out.putByte((s.red ? RED : 0) | (s.above ? ABOVE : 0) | (s.episode ? EPISODE : 0));
    }

    @Override
    public LikelihoodState read(StateInput in, int version) {
        LikelihoodState s = new LikelihoodState();
        if (version == 1) {
            // the statistics of another raw surprise (short mean, mean, variance, count): dropped, it warms up again
            in.getDouble();
            in.getDouble();
            in.getDouble();
            in.varint();
            return s;
        }
        s.residualMs = in.getDouble();
        s.shortMean = in.getDouble();
        s.mean = in.getDouble();
        s.var = in.getDouble();
        s.alertLevel = in.getDouble();
        s.residualCount = (int) in.varint();
        s.count = (int) in.varint();
        int flags = in.getByte();
        s.red = (flags & RED) != 0;
        s.above = (flags & ABOVE) != 0;
        s.episode = (flags & EPISODE) != 0;
        return s;
    }
}
