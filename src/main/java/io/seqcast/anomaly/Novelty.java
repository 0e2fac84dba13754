package io.seqcast.anomaly;

/**
 * Scores how new an observation is against everything the series has shown: it is an anomaly when some feature of the
 * series reaches a value it has never had, beyond its whole past range by more than {@value #TOLERANCE} of that
 * range. The features, each computed causally and kept in a few numbers of the series' {@link NoveltyState}:
 *
 * <ul>
 *   <li>the value itself, below or above its range (a level never seen), unless turned off for trending series;
 *   <li>its activity, a short exponentially weighted mean of {@code |x(t) - x(t-1)|}, below its range (a series gone
 *       quiet or stuck, as a sensor that stops reporting changes);
 *   <li>per seasonal profile (kept by the forecast's seasonal profiles, which give the value of the same bucket one
 *       season before), the short mean of the distance to it, above its range (a cycle that breaks: a missing peak, a
 *       holiday, a day at another level).
 * </ul>
 *
 * <p>A feature is judged only after the warm-up (and at least {@value #MIN_VALUES} values of it) and, for a profile,
 * {@value #SEASONS_JUDGED} full seasons of them. Its tail
 * probability is {@code 10^-(12 + 100 * beyond)}, with {@code beyond} the excess as a share of the range, as for the
 * spatial anomalies of Numenta's NAB detector. Once a feature has been new, or the forecast-residual likelihood has
 * reached red ({@link AnomalyLikelihood}'s onset of an episode), the novelty and the residual likelihood of the next
 * {@code refractory} of event time are discounted tenfold (their tails raised to the power 0.1): an episode is reported
 * by its first observation, whichever part saw it first, not once per observation, unless it gets much worse.
 *
 * <p>Measured on NAB in EVALUATION.md, where the memory, tolerance and buckets were chosen; the forecast-residual
 * likelihood ({@link AnomalyLikelihood}) complements it with a score whose threshold reads as a false-alert rate.
 */
public final class Novelty {

    /** A feature beyond its past range by more than this share of the range is new. */
    static final double TOLERANCE = 0.01;
    /** Orders of magnitude of the tail of a value just beyond the range, and per range width beyond it. */
    static final double SURPRISE = 12;

    static final double SURPRISE_PER_WIDTH = 100;
    /** Memory, in observations, of the short means of activity and of seasonal distance. */
    static final double MEMORY = 12;
    /** Discount of the surprise of novelty within the refractory period after a novelty. */
    static final double REFRACTORY_DISCOUNT = 10;

    /**
     * Seasons of a profile's distance before it is judged: the range of a few days' distances is still growing, and
     * judged after one season it was the largest source of false positives on NAB (chosen by cross-validation).
     */
    static final int SEASONS_JUDGED = 3;

    /** Values of a feature before it is judged, whatever the warm-up: a range of fewer says little. */
    static final int MIN_VALUES = 100;

    /** Feature index of activity; profiles follow it. */
    private static final int ACTIVITY = 0;

    private final boolean level;
    private final int warmup;
    private final long refractoryMs;
    private final int[] seasonObservations;

    /**
     * @param warmup values of a feature before it is judged (at least {@value #MIN_VALUES})
     * @param refractoryMs event time after a novelty during which further novelty is discounted
     * @param seasonObservations per seasonal profile, the observations of one season: {@value #SEASONS_JUDGED}
     *     seasons of them are part of its feature's warm-up
     * @param level whether a value beyond the series' past range is new
     */
    public Novelty(int warmup, long refractoryMs, int[] seasonObservations, boolean level) {
        this.level = level;
        this.warmup = Math.max(warmup, MIN_VALUES);
        this.refractoryMs = refractoryMs;
        this.seasonObservations = new int[seasonObservations.length];
        for (int i = 0; i < seasonObservations.length; i++) {
            this.seasonObservations[i] =
                    (int) Math.min(Integer.MAX_VALUE, (long) SEASONS_JUDGED * seasonObservations[i]);
        }
    }

    /** Features kept per series: activity, then one per profile. */
    public int features() {
        return 1 + seasonObservations.length;
    }

    /** Fresh statistics for a series never seen. */
    public NoveltyState initial() {
        return new NoveltyState(features());
    }

    /** True when {@code s} holds the statistics of these features. */
    public boolean fits(NoveltyState s) {
        return s.features() == features();
    }

    /**
     * What novelty found in one observation.
     *
     * @param surprise orders of magnitude of unlikeliness, {@code -log10(tail)} (after the refractory discount); 0 when
     *     nothing is new
     * @param kind the feature that was newest ({@link AnomalyKind#LEVEL}, {@link AnomalyKind#QUIET} or
     *     {@link AnomalyKind#BROKEN_CYCLE}), null when nothing is new
     * @param residualDiscount what the residual likelihood's surprise is divided by: {@value #REFRACTORY_DISCOUNT}
     *     within the refractory period of an episode already reported, else 1
     */
    public record Finding(double surprise, AnomalyKind kind, double residualDiscount) {

        public static final Finding NONE = new Finding(0, null);

        /** A finding outside any refractory period. */
        public Finding(double surprise, AnomalyKind kind) {
            this(surprise, kind, 1);
        }

        /** The tail probability: {@code 10^-surprise}, 1 when nothing is new. */
        public double tail() {
            return surprise <= 0 ? 1 : Math.max(Math.pow(10, -surprise), AnomalyLikelihood.MIN_TAIL);
        }
    }

    /**
     * Scores the observation {@code x} at event time {@code time} and adds it to the series' novelty statistics
     * (observations only, never imputed values). {@code seasonal} holds, per profile, the profile's value for this
     * time one season before (NaN when it has none). Returns the tail probability of its novelty, 1 when nothing is
     * new.
     */
    public double observe(NoveltyState s, long time, double x, float[] seasonal) {
        return assess(s, time, x, seasonal).tail();
    }

    /** As {@link #observe}, returning what was new and how surprising (no forecast residual). */
    public Finding assess(NoveltyState s, long time, double x, float[] seasonal) {
        return assess(s, time, x, seasonal, 0);
    }

    /**
     * As {@link #observe}, returning what was new and how surprising; {@code residualSurprise} is the residual
     * likelihood's surprise of the same observation (orders of magnitude, episode-filtered; 0 without a forecast): at
     * red or more it opens the refractory period as novelty does, and within the period it is discounted
     * ({@link Finding#residualDiscount}).
     */
    public Finding assess(NoveltyState s, long time, double x, float[] seasonal, double residualSurprise) {
        double surprise = 0;
        AnomalyKind kind = null;
        long seen = Float.isNaN(s.lastValue) ? 0 : s.count[ACTIVITY] + 1L;
        if (level && seen >= warmup && s.seenMax > s.seenMin) {
            double width = s.seenMax - s.seenMin;
            surprise = surprise(Math.max(x - s.seenMax, s.seenMin - x) / width);
            kind = AnomalyKind.LEVEL;
        }
        if (!Float.isNaN(s.lastValue)) {
            float activity = smooth(s, ACTIVITY, Math.abs(x - s.lastValue));
            double quiet = judge(s, ACTIVITY, activity, warmup, false);
            if (quiet > surprise) {
                surprise = quiet;
                kind = AnomalyKind.QUIET;
            }
        }
        for (int p = 0; p < seasonObservations.length; p++) {
            int f = 1 + p;
            float expected = seasonal[p];
            if (!Float.isNaN(expected)) {
                float distance = smooth(s, f, Math.abs(x - expected));
                double broken = judge(s, f, distance, Math.max(warmup, seasonObservations[p]), true);
                if (broken > surprise) {
                    surprise = broken;
                    kind = AnomalyKind.BROKEN_CYCLE;
                }
            }
        }
        s.lastValue = (float) x;
        s.seenMin = Math.min(s.seenMin, x);
        s.seenMax = Math.max(s.seenMax, x);
        boolean residualOnset = residualSurprise >= AnomalyLikelihood.RED;
        if (surprise <= 0 && !residualOnset) {
            return Finding.NONE;
        }
        double discount = 1;
        if (s.noveltyAt != Long.MIN_VALUE && time - s.noveltyAt <= refractoryMs) {
            discount = REFRACTORY_DISCOUNT;
        } else {
            s.noveltyAt = time;
        }
        if (surprise <= 0) {
            return discount == 1 ? Finding.NONE : new Finding(0, null, discount);
        }
        return new Finding(Math.min(surprise / discount, -Math.log10(AnomalyLikelihood.MIN_TAIL)), kind, discount);
    }

    /** Orders of magnitude of unlikeliness of a feature {@code beyond} range widths past its range; 0 within it. */
    private static double surprise(double beyond) {
        return beyond > TOLERANCE ? SURPRISE + SURPRISE_PER_WIDTH * beyond : 0;
    }

    /** The new short mean of feature {@code f} after the value {@code v}; stored. */
    private static float smooth(NoveltyState s, int f, double v) {
        float m = s.count[f] == 0 ? (float) v : (float) (s.mean[f] + (v - s.mean[f]) / MEMORY);
        s.mean[f] = m;
        return m;
    }

    /** Surprise of feature {@code f} at {@code value} (above its range if {@code high}, else below); then adds it. */
    private static double judge(NoveltyState s, int f, float value, int minCount, boolean high) {
        double surprise = 0;
        if (s.count[f] >= minCount && s.hi[f] > s.lo[f]) {
            double width = s.hi[f] - s.lo[f];
            surprise = surprise((high ? value - s.hi[f] : s.lo[f] - value) / width);
        }
        if (s.count[f] == 0) {
            s.lo[f] = value;
            s.hi[f] = value;
        } else {
            s.lo[f] = Math.min(s.lo[f], value);
            s.hi[f] = Math.max(s.hi[f], value);
        }
        if (s.count[f] < Integer.MAX_VALUE) {
            s.count[f]++;
        }
        return surprise;
    }
}
