package io.seqcast.forecast;

import io.seqcast.anomaly.AnomalyFusion;
import io.seqcast.anomaly.Novelty;
import io.seqcast.anomaly.NoveltyState;
import io.seqcast.state.LegacyState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;
import java.util.Arrays;

/**
 * Scores what is new to the series ({@link Novelty}): its level, its activity and its distance to the seasonal
 * profiles ({@link Step#seasonal}); the observation's score fuses this with the likelihood stage's verdict on its
 * residual ({@link AnomalyFusion}: kind, threshold, whether it alarms).
 */
final class NoveltyStage implements Stage<NoveltyState> {

    static final int TAG = 7;

    private final Novelty novelty;
    private final double falseAlertRate;

    NoveltyStage(Novelty novelty, double falseAlertRate) {
        this.novelty = novelty;
        this.falseAlertRate = falseAlertRate;
    }

    @Override
    public NoveltyState initial() {
        return novelty.initial();
    }

    /** Statistics of other features (the profiles changed) are started afresh; the range of values seen is kept. */
    @Override
    public NoveltyState adopt(NoveltyState s) {
        if (!novelty.fits(s)) {
            s.initFeatures(novelty.features());
        }
        return s;
    }

    @Override
    public void observe(Step step, NoveltyState s) {
        Novelty.Finding found = novelty.assess(s, step.time, step.x, step.seasonal, step.likelihood.surprise());
        step.score = AnomalyFusion.fuse(step.sigmas, found, step.likelihood, falseAlertRate);
    }

    @Override
    public int tag() {
        return TAG;
    }

    /**
     * The range seen; the features' count, then as packed floats the last value and each feature's mean, low and
     * high; varints for their counts; the time of the last novelty, relative to the series' last event time.
     */
    @Override
    public void write(NoveltyState s, StateOutput out) {
        out.putDouble(s.seenMin).putDouble(s.seenMax);
        int n = s.features();
        out.varint(n);
        float[] floats = new float[1 + 3 * n];
        floats[0] = s.lastValue;
        System.arraycopy(s.mean, 0, floats, 1, n);
        System.arraycopy(s.lo, 0, floats, 1 + n, n);
        System.arraycopy(s.hi, 0, floats, 1 + 2 * n, n);
        out.floats(floats);
        for (int c : s.count) {
            out.varint(c);
        }
        boolean at = s.noveltyAt != Long.MIN_VALUE;
        out.putByte(at ? 1 : 0);
        if (at) {
            out.signed(out.lastTime() == Long.MIN_VALUE ? s.noveltyAt : out.lastTime() - s.noveltyAt);
        }
    }

    @Override
    public NoveltyState read(StateInput in, int version) {
        double min = in.getDouble();
        double max = in.getDouble();
        int n = in.size();
        NoveltyState s = new NoveltyState(n);
        s.seenMin = min;
        s.seenMax = max;
        float[] floats = in.floats(1 + 3 * n);
        s.lastValue = floats[0];
        s.mean = Arrays.copyOfRange(floats, 1, 1 + n);
        s.lo = Arrays.copyOfRange(floats, 1 + n, 1 + 2 * n);
        s.hi = Arrays.copyOfRange(floats, 1 + 2 * n, 1 + 3 * n);
        for (int f = 0; f < n; f++) {
            s.count[f] = (int) in.varint();
        }
        if (in.getByte() != 0) {
            long v = in.signed();
            s.noveltyAt = in.lastTime() == Long.MIN_VALUE ? v : in.lastTime() - v;
        }
        return s;
    }

    @Override
    public NoveltyState upgrade(LegacyState old) {
        NoveltyState s = new NoveltyState(old.noveltyMean.length);
        s.seenMin = old.seenMin;
        s.seenMax = old.seenMax;
        s.lastValue = old.lastValue;
        s.mean = old.noveltyMean;
        s.lo = old.noveltyLo;
        s.hi = old.noveltyHi;
        s.count = old.noveltyCount;
        s.noveltyAt = old.noveltyAt;
        return s;
    }
}
