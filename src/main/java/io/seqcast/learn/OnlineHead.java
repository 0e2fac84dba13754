package io.seqcast.learn;

/**
 * An online linear output layer: per step ahead {@code k}, a forecast {@code w_k . x} of a target from an input
 * vector {@code x} of {@code dims} values, learned by recursive least squares with exponential forgetting and a ridge
 * prior (the covariance starts at {@code prior * I}), robust to outliers (each error is clipped at
 * {@value #HUBER} times its recent mean absolute size, as Huber's loss would). Every step ahead has its own weights;
 * they share one inverse covariance, updated from step 1's inputs only (the inputs of every step are made from the
 * same series at the same origins, so their covariances are alike): {@code dims^2 / 2 + horizon * dims} numbers
 * instead of {@code horizon} times that. Its covariance is capped at its prior's trace, so that it cannot wind up while
 * an input is idle.
 *
 * <p>Contract on the per-step inputs (those that differ between steps ahead): because the shared covariance is learned
 * from step 1's inputs only, each per-step input must be non-zero and vary at step 1 as it does at the later steps. A
 * direction that step 1's inputs never excite (an input identically zero at step 1) keeps its prior covariance (up to
 * the trace cap, as forgetting inflates it), and every later step's weight along it is then learned with the prior's
 * large gain instead of by least squares. {@code forecast/LearnedStage}'s per-step inputs (the seasonal profiles'
 * changes to the target, the seasonal lag's change, the network's forecast change) are defined at step 1 like at the
 * others; an input that is missing is 0 at every step alike.
 *
 * <p>Stateless: everything learned is in the {@link HeadState} it is given. Arithmetic in double, stored in float.
 * Not thread-safe (scratch buffers): one instance per stream task.
 */
public final class OnlineHead {

    /** Errors beyond this many recent mean absolute errors are clipped. */
    public static final double HUBER = 2.0;
    /** Memory, in updates, of the mean absolute error. */
    static final int ERROR_MEMORY = 200;

    private final int dims;
    private final double forgetting;
    private final double prior;
    private final double[] p;
    private final double[] px;

    /**
     * @param dims inputs per step
     * @param forgetting forgetting factor in (0, 1]: the memory is about {@code 1 / (1 - forgetting)} observations
     * @param prior initial covariance scale: larger learns faster from few observations, smaller keeps the weights
     *     near zero (the ridge prior) longer
     */
    public OnlineHead(int dims, double forgetting, double prior) {
        if (dims < 1 || !(forgetting > 0 && forgetting <= 1) || !(prior > 0)) {
            throw new IllegalArgumentException("dims " + dims + ", forgetting " + forgetting + ", prior " + prior);
        }
        this.dims = dims;
        this.forgetting = forgetting;
        this.prior = prior;
        this.p = new double[dims * dims];
        this.px = new double[dims];
    }

    public int dims() {
        return dims;
    }

    /** A head state for {@code horizon} steps, of which {@code baseDims} inputs are shared by all steps. */
    public HeadState initial(int baseDims, int stepDims, int horizon, int lags) {
        return HeadState.initial(dims, baseDims, stepDims, horizon, lags, prior);
    }

    /** The forecast of step {@code k} from inputs {@code x}. */
    public double predict(HeadState h, int k, double[] x) {
        double sum = 0;
        int off = k * dims;
        for (int i = 0; i < dims; i++) {
            sum += h.weights[off + i] * x[i];
        }
        return sum;
    }

    /**
     * Learns from one target of step {@code k}: {@code target} is what {@code x} should have forecast. Updates the
     * shared covariance when {@code updateCovariance} (step 1's inputs, once per observation).
     */
    public void learn(HeadState h, int k, double[] x, double target, boolean updateCovariance) {
        unpack(h.covariance);
        double den = forgetting;
        for (int i = 0; i < dims; i++) {
            double s = 0;
            int row = i * dims;
            for (int j = 0; j < dims; j++) {
                s += p[row + j] * x[j];
            }
            px[i] = s;
            den += x[i] * s;
        }
        if (!(den > 0) || !Double.isFinite(den)) {
            return; // a degenerate covariance: skip this update rather than poison the weights
        }
        double e = target - predict(h, k, x);
        double scale = h.errorScale[k];
        if (scale > 0) {
            double limit = HUBER * scale;
            double clipped = Math.max(-limit, Math.min(limit, e));
            h.errorScale[k] = (float) (scale + (Math.abs(e) - scale) / ERROR_MEMORY);
            e = clipped;
        } else {
            h.errorScale[k] = (float) Math.abs(e);
        }
        int off = k * dims;
        for (int i = 0; i < dims; i++) {
            h.weights[off + i] += (float) (px[i] / den * e);
        }
        if (updateCovariance) {
            double trace = 0;
            for (int i = 0; i < dims; i++) {
                for (int j = i; j < dims; j++) {
                    double v = (p[i * dims + j] - px[i] * px[j] / den) / forgetting;
                    p[i * dims + j] = v;
                }
                trace += p[i * dims + i];
            }
            double cap = prior * dims;
            double shrink = trace > cap ? cap / trace : 1;
            pack(h.covariance, shrink);
            if (h.updates < Integer.MAX_VALUE) {
                h.updates++;
            }
        }
    }

    private void unpack(float[] tri) {
        for (int i = 0, t = 0; i < dims; i++) {
            for (int j = i; j < dims; j++, t++) {
                p[i * dims + j] = tri[t];
                p[j * dims + i] = tri[t];
            }
        }
    }

    private void pack(float[] tri, double shrink) {
        for (int i = 0, t = 0; i < dims; i++) {
            for (int j = i; j < dims; j++, t++) {
                tri[t] = (float) (p[i * dims + j] * shrink);
            }
        }
    }
}
