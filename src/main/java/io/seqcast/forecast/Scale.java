package io.seqcast.forecast;

/** The scale stage's slice: the series' normalisation statistics ({@link Normalizer}). */
public final class Scale {
    /** Updates of the statistics. */
    public long count;
    /** Mean per feature. */
    public double[] mean;
    /** Variance per feature. */
    public double[] var;

    Scale(int features) {
        mean = new double[features];
        var = new double[features];
    }

    /** The standard deviation of feature {@code f} ({@link Normalizer#std}). */
    public double std(int f) {
        return Normalizer.std(mean, var, f);
    }
}
