package io.seqcast.forecast;

import io.seqcast.state.LegacyState;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;
import java.util.Arrays;

/**
 * Seasonal profiles of the series' target: a daily profile of {@code profile.daily-buckets} buckets and a weekly one of
 * {@code profile.weekly-buckets}, by event time in UTC, each bucket the mean of its values in the last season (with
 * {@code profile.smoothing} below 1: an exponentially weighted mean of its seasons' means, that weight on the newest). Per
 * observation, sets {@link Step#seasonal} to each profile's value for its time one season before (what novelty
 * compares it with), then adds it to its bucket. The combination forecasts with {@link #value}.
 */
public final class SeasonalProfiles implements Stage<Profiles> {

    static final int TAG = 6;
    static final long DAY_MS = 86_400_000L;

    private final int[] buckets;
    private final int[] offsets;
    private final long[] seasonMs;
    private final int size;
    private final double smoothing;

    /** Profiles of so many buckets a day and a week (0 for none), each bucket the mean of the last season's values. */
    public SeasonalProfiles(int dailyBuckets, int weeklyBuckets) {
        this(dailyBuckets, weeklyBuckets, 1.0);
    }

    /**
     * Profiles of so many buckets a day and a week (0 for none); {@code smoothing} in (0, 1] is the weight of the
     * newest season's mean in a bucket (1: that mean alone).
     */
    public SeasonalProfiles(int dailyBuckets, int weeklyBuckets, double smoothing) {
        if (!(smoothing > 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("profile smoothing " + smoothing + " not in (0, 1]");
        }
        this.smoothing = smoothing;
        int profiles = (dailyBuckets > 0 ? 1 : 0) + (weeklyBuckets > 0 ? 1 : 0);
        this.buckets = new int[profiles];
        this.offsets = new int[profiles];
        this.seasonMs = new long[profiles];
        int p = 0;
        if (dailyBuckets > 0) {
            buckets[p] = dailyBuckets;
            seasonMs[p++] = DAY_MS;
        }
        if (weeklyBuckets > 0) {
            buckets[p] = weeklyBuckets;
            seasonMs[p] = 7 * DAY_MS;
        }
        int n = 0;
        for (int i = 0; i < profiles; i++) {
            offsets[i] = n;
            n += buckets[i];
        }
        this.size = n;
    }

    /** Profiles kept. */
    public int profiles() {
        return buckets.length;
    }

    /** Per profile, the observations of one season at {@code intervalMs}. */
    public int[] seasonObservations(long intervalMs) {
        int[] out = new int[buckets.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.min(Integer.MAX_VALUE, seasonMs[i] / Math.max(1, intervalMs));
        }
        return out;
    }

    @Override
    public Profiles initial() {
        return new Profiles(buckets.length, size);
    }

    @Override
    public boolean fits(Profiles s) {
        return s.current.length == buckets.length && s.buckets.length == size;
    }

    @Override
    public void observe(Step step, Profiles s) {
        if (step.seasonal.length != buckets.length) {
            step.seasonal = new float[buckets.length];
        }
        observe(s, step.time, step.x, step.seasonal);
    }

    /**
     * Sets {@code seasonal[p]} to profile {@code p}'s value for {@code time} one season before (NaN when it has none),
     * then adds {@code x} to each profile.
     */
    public void observe(Profiles s, long time, double x, float[] seasonal) {
        for (int p = 0; p < buckets.length; p++) {
            seasonal[p] = observe(s, p, time, x);
        }
    }

    /** Profile {@code p}'s value for {@code time}: the mean of its bucket in the last season, NaN if never filled. */
    double value(Profiles s, int p, long time) {
        return s.buckets[offsets[p] + bucketOf(p, time)];
    }

    private int bucketOf(int p, long time) {
        return (int) (Math.floorMod(time, seasonMs[p]) / (seasonMs[p] / buckets[p]));
    }

    /**
     * Profile {@code p}: the mean of the bucket of {@code time} one season before, or NaN when that bucket was never
     * filled; then adds {@code x} to the current bucket, storing the finished one's mean when {@code time} enters
     * another bucket.
     */
    private float observe(Profiles s, int p, long time, double x) {
        int offset = offsets[p];
        int bucket = bucketOf(p, time);
        int current = s.current[p];
        if (current >= 0 && current != bucket) {
            double mean = s.sum[p] / s.count[p];
            float old = s.buckets[offset + current];
            s.buckets[offset + current] = (float) (Float.isNaN(old) ? mean : old + smoothing * (mean - old));
            s.sum[p] = 0;
            s.count[p] = 0;
        }
        s.current[p] = bucket;
        s.sum[p] += (float) x;
        s.count[p]++;
        return s.buckets[offset + bucket];
    }

    @Override
    public int tag() {
        return TAG;
    }

    /** Profile and bucket counts; as packed floats the buckets and the current sums; varints for the rest. */
    @Override
    public void write(Profiles s, StateOutput out) {
        int profiles = s.current.length;
        out.varint(profiles).varint(s.buckets.length);
        float[] floats = Arrays.copyOf(s.buckets, s.buckets.length + profiles);
        System.arraycopy(s.sum, 0, floats, s.buckets.length, profiles);
        out.floats(floats);
        for (int p = 0; p < profiles; p++) {
            out.varint(s.current[p] + 1L).varint(s.count[p]);
        }
    }

    @Override
    public Profiles read(StateInput in, int version) {
        int profiles = in.size();
        int n = in.size();
        Profiles s = new Profiles(profiles, 0);
        float[] floats = in.floats(n + profiles);
        s.buckets = Arrays.copyOf(floats, n);
        s.sum = Arrays.copyOfRange(floats, n, n + profiles);
        for (int p = 0; p < profiles; p++) {
            s.current[p] = (int) in.varint() - 1;
            s.count[p] = (int) in.varint();
        }
        return s;
    }

    @Override
    public Profiles upgrade(LegacyState old) {
        Profiles s = new Profiles(0, 0);
        s.buckets = old.profiles;
        s.current = old.profileBucket;
        s.sum = old.profileSum;
        s.count = old.profileCount;
        return s;
    }
}
