package io.seqcast.forecast;

import io.seqcast.state.LegacyState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;

/**
 * The series' scale: adds each observation to its normalisation statistics, last of the observation's stages, so that
 * everything before (scores, errors) is in the scale the series had before it, and the model steps after in the new
 * one.
 */
final class ScaleStage implements Stage<Scale> {

    static final int TAG = 9;

    /** Observations before residuals count: the series' scale must be known to express them in it. */
    static final int MIN_OBSERVATIONS = SeriesForecaster.MIN_SCALE_OBSERVATIONS;

    private final int features;

    ScaleStage(int features) {
        this.features = features;
    }

    @Override
    public Scale initial() {
        return new Scale(features);
    }

    @Override
    public boolean fits(Scale scale) {
        return scale.mean.length == features;
    }

    @Override
    public boolean restartsSeries() {
        return true;
    }

    @Override
    public void observe(Step step, Scale scale) {
        for (int f = 0; f < features; f++) {
            Normalizer.update(scale.count, scale.mean, scale.var, f, step.values[f]);
        }
        scale.count++;
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void write(Scale scale, StateOutput out) {
        out.varint(scale.mean.length);
        out.signed(scale.count - out.count());
        for (int f = 0; f < scale.mean.length; f++) {
            out.putDouble(scale.mean[f]).putDouble(scale.var[f]);
        }
    }

    @Override
    public Scale read(StateInput in, int version) {
        Scale scale = new Scale(in.size());
        scale.count = in.count() + in.signed();
        for (int f = 0; f < scale.mean.length; f++) {
            scale.mean[f] = in.getDouble();
            scale.var[f] = in.getDouble();
        }
        return scale;
    }

    @Override
    public Scale upgrade(LegacyState old) {
        Scale scale = new Scale(old.mean.length);
        scale.count = old.normCount;
        scale.mean = old.mean;
        scale.var = old.var;
        return scale;
    }
}
