package io.seqcast.anomaly;

import io.seqcast.state.SeriesState;

/**
 * Scores how new an observation is against everything the series has shown: it is an anomaly when some feature of the
 * series reaches a value it has never had, beyond its whole past range by more than {@value #TOLERANCE} of that
 * range. The features, each computed causally and kept in a few numbers of the series' state:
 *
 * <ul>
 *   <li>the value itself, below or above its range (a level never seen), unless turned off for trending series;
 *   <li>its activity, a short exponentially weighted mean of {@code |x(t) - x(t-1)|}, below its range (a series gone
 *       quiet or stuck, as a sensor that stops reporting changes);
 *   <li>per seasonal profile (a day of {@code dailyBuckets}, a week of {@code weeklyBuckets}, by event time in UTC),
 *       the short mean of the distance to the mean of the same bucket one season before, above its range (a cycle
 *       that breaks: a missing peak, a holiday, a day at another level).
 * </ul>
 *
 * <p>A feature is judged only after the warm-up (and at least {@value #MIN_VALUES} values of it) and, for a profile,
 * {@value #SEASONS_JUDGED} full seasons of them. Its tail
 * probability is {@code 10^-(12 + 100 * beyond)}, with {@code beyond} the excess as a share of the range, as for the
 * spatial anomalies of Numenta's NAB detector. Once a feature has been new, the novelty of the next
 * {@code refractory} of event time is discounted tenfold (its tail raised to the power 0.1): an episode is reported by
 * its first observation, not once per observation, unless it gets much worse.
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
    private final int[] buckets;
    private final long[] seasonMs;
    private final int[] seasonObservations;

    /**
     * @param warmup values of a feature before it is judged (at least {@value #MIN_VALUES})
     * @param refractoryMs event time after a novelty during which further novelty is discounted
     * @param dailyBuckets buckets of the daily profile, 0 for none
     * @param weeklyBuckets buckets of the weekly profile, 0 for none
     * @param intervalMs sampling interval: {@value #SEASONS_JUDGED} seasons' length in observations is part of its
     *     profile's warm-up
     */
    public Novelty(int warmup, long refractoryMs, int dailyBuckets, int weeklyBuckets, long intervalMs) {
        this(warmup, refractoryMs, dailyBuckets, weeklyBuckets, intervalMs, true);
    }

    /** As {@link #Novelty(int, long, int, int, long)}, with the level feature on or off ({@code level}). */
    public Novelty(int warmup, long refractoryMs, int dailyBuckets, int weeklyBuckets, long intervalMs, boolean level) {
        this.level = level;
        this.warmup = Math.max(warmup, MIN_VALUES);
        this.refractoryMs = refractoryMs;
        int profiles = (dailyBuckets > 0 ? 1 : 0) + (weeklyBuckets > 0 ? 1 : 0);
        this.buckets = new int[profiles];
        this.seasonMs = new long[profiles];
        this.seasonObservations = new int[profiles];
        int p = 0;
        if (dailyBuckets > 0) {
            buckets[p] = dailyBuckets;
            seasonMs[p++] = 86_400_000L;
        }
        if (weeklyBuckets > 0) {
            buckets[p] = weeklyBuckets;
            seasonMs[p] = 7 * 86_400_000L;
        }
        for (int i = 0; i < profiles; i++) {
            seasonObservations[i] = (int) Math.min(Integer.MAX_VALUE,
                    SEASONS_JUDGED * (seasonMs[i] / Math.max(1, intervalMs)));
        }
    }

    /** Features kept per series: activity, then one per profile. */
    public int features() {
        return 1 + buckets.length;
    }

    /** Buckets of each profile. */
    public int[] buckets() {
        return buckets.clone();
    }

    /** True when {@code s} holds the novelty statistics of these features and profiles. */
    public boolean fits(SeriesState s) {
        return s.noveltyMean.length == features() && s.profileBucket.length == buckets.length
                && s.profiles.length == profileSize();
    }

    /** Profile buckets kept per series, all profiles together. */
    public int profileSize() {
        int n = 0;
        for (int b : buckets) {
            n += b;
        }
        return n;
    }

    /**
     * What novelty found in one observation.
     *
     * @param surprise orders of magnitude of unlikeliness, {@code -log10(tail)} (after the refractory discount); 0 when
     *     nothing is new
     * @param kind the feature that was newest ({@link AnomalyKind#LEVEL}, {@link AnomalyKind#QUIET} or
     *     {@link AnomalyKind#BROKEN_CYCLE}), null when nothing is new
     */
    public record Finding(double surprise, AnomalyKind kind) {

        public static final Finding NONE = new Finding(0, null);

        /** The tail probability: {@code 10^-surprise}, 1 when nothing is new. */
        public double tail() {
            return surprise <= 0 ? 1 : Math.max(Math.pow(10, -surprise), AnomalyLikelihood.MIN_TAIL);
        }
    }

    /**
     * Scores the observation {@code x} at event time {@code time} and adds it to the series' novelty statistics
     * (observations only, never imputed values). Returns the tail probability of its novelty, 1 when nothing is new.
     */
    public double observe(SeriesState s, long time, double x) {
        return assess(s, time, x).tail();
    }

    /** As {@link #observe}, returning what was new and how surprising. */
    public Finding assess(SeriesState s, long time, double x) {
        double surprise = 0;
        AnomalyKind kind = null;
        long seen = Float.isNaN(s.lastValue) ? 0 : s.noveltyCount[ACTIVITY] + 1L;
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
        int offset = 0;
        for (int p = 0; p < buckets.length; p++) {
            int f = 1 + p;
            float expected = profile(s, p, offset, time, x);
            if (!Float.isNaN(expected)) {
                float distance = smooth(s, f, Math.abs(x - expected));
                double broken = judge(s, f, distance, Math.max(warmup, seasonObservations[p]), true);
                if (broken > surprise) {
                    surprise = broken;
                    kind = AnomalyKind.BROKEN_CYCLE;
                }
            }
            offset += buckets[p];
        }
        s.lastValue = (float) x;
        s.seenMin = Math.min(s.seenMin, x);
        s.seenMax = Math.max(s.seenMax, x);
        if (surprise <= 0) {
            return Finding.NONE;
        }
        if (s.noveltyAt != Long.MIN_VALUE && time - s.noveltyAt <= refractoryMs) {
            surprise /= REFRACTORY_DISCOUNT;
        } else {
            s.noveltyAt = time;
        }
        return new Finding(Math.min(surprise, -Math.log10(AnomalyLikelihood.MIN_TAIL)), kind);
    }

    /** Orders of magnitude of unlikeliness of a feature {@code beyond} range widths past its range; 0 within it. */
    private static double surprise(double beyond) {
        return beyond > TOLERANCE ? SURPRISE + SURPRISE_PER_WIDTH * beyond : 0;
    }

    /** The new short mean of feature {@code f} after the value {@code v}; stored. */
    private static float smooth(SeriesState s, int f, double v) {
        float m = s.noveltyCount[f] == 0 ? (float) v : (float) (s.noveltyMean[f] + (v - s.noveltyMean[f]) / MEMORY);
        s.noveltyMean[f] = m;
        return m;
    }

    /** Surprise of feature {@code f} at {@code value} (above its range if {@code high}, else below); then adds it. */
    private static double judge(SeriesState s, int f, float value, int minCount, boolean high) {
        double surprise = 0;
        if (s.noveltyCount[f] >= minCount && s.noveltyHi[f] > s.noveltyLo[f]) {
            double width = s.noveltyHi[f] - s.noveltyLo[f];
            surprise = surprise((high ? value - s.noveltyHi[f] : s.noveltyLo[f] - value) / width);
        }
        if (s.noveltyCount[f] == 0) {
            s.noveltyLo[f] = value;
            s.noveltyHi[f] = value;
        } else {
            s.noveltyLo[f] = Math.min(s.noveltyLo[f], value);
            s.noveltyHi[f] = Math.max(s.noveltyHi[f], value);
        }
        if (s.noveltyCount[f] < Integer.MAX_VALUE) {
            s.noveltyCount[f]++;
        }
        return surprise;
    }

    /** Profile {@code p}'s value for {@code time}: the mean of its bucket in the last season, NaN if never filled. */
    public double profileValue(SeriesState s, int p, long time) {
        int offset = 0;
        for (int i = 0; i < p; i++) {
            offset += buckets[i];
        }
        return s.profiles[offset + bucketOf(p, time)];
    }

    private int bucketOf(int p, long time) {
        return (int) (Math.floorMod(time, seasonMs[p]) / (seasonMs[p] / buckets[p]));
    }

    /**
     * Profile {@code p} (its buckets from {@code offset} in the state's profile array): the mean of the bucket of
     * {@code time} one season before, or NaN when that bucket was never filled; then adds {@code x} to the current
     * bucket, storing the finished one's mean when {@code time} enters another bucket.
     */
    private float profile(SeriesState s, int p, int offset, long time, double x) {
        int bucket = bucketOf(p, time);
        int current = s.profileBucket[p];
        if (current >= 0 && current != bucket) {
            s.profiles[offset + current] = (float) (s.profileSum[p] / s.profileCount[p]);
            s.profileSum[p] = 0;
            s.profileCount[p] = 0;
        }
        s.profileBucket[p] = bucket;
        s.profileSum[p] += (float) x;
        s.profileCount[p]++;
        return s.profiles[offset + bucket];
    }
}
