package io.seqcast.forecast;

import java.util.Arrays;

/** The seasonal profiles' slice: the buckets of every profile of the series and the bucket being filled. */
public final class Profiles {
    /** All profiles' buckets together: the mean of each bucket in its last season; NaN where never filled. */
    public float[] buckets;
    /** Per profile: the bucket being filled, or -1. */
    public int[] current;
    /** Per profile: sum of the values in the bucket being filled. */
    public float[] sum;
    /** Per profile: values in the bucket being filled. */
    public int[] count;

    Profiles(int profiles, int buckets) {
        this.buckets = new float[buckets];
        Arrays.fill(this.buckets, Float.NaN);
        this.current = new int[profiles];
        Arrays.fill(this.current, -1);
        this.sum = new float[profiles];
        this.count = new int[profiles];
    }
}
