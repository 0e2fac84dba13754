package io.seqcast.state;

import java.util.Arrays;

/**
 * Pending forecasts stored as the triangle a later observation reads: of the {@code horizon} rows (row {@code a} made
 * {@code a + 1} steps ago, {@code horizon * features} values, step-major) only row {@code a}'s steps from {@code a}
 * on, the earlier ones being for times already past.
 */
public final class Triangle {

    private Triangle() {}

    /** The triangle of {@code pending}, rows in order. */
    public static float[] pack(float[] pending, int features, int horizon) {
        float[] triangle = new float[horizon * (horizon + 1) / 2 * features];
        int t = 0;
        for (int a = 0; a < horizon; a++) {
            int length = (horizon - a) * features;
            System.arraycopy(pending, (a * horizon + a) * features, triangle, t, length);
            t += length;
        }
        return triangle;
    }

    /** The pending matrix of a {@link #pack packed} triangle, NaN where a row's earlier steps were not stored. */
    public static float[] unpack(float[] triangle, int features, int horizon) {
        float[] pending = new float[horizon * horizon * features];
        Arrays.fill(pending, Float.NaN);
        int t = 0;
        for (int a = 0; a < horizon; a++) {
            int length = (horizon - a) * features;
            System.arraycopy(triangle, t, pending, (a * horizon + a) * features, length);
            t += length;
        }
        return pending;
    }

    /** Values in the triangle of {@code horizon} steps of {@code features} features. */
    public static int size(int features, int horizon) {
        return horizon * (horizon + 1) / 2 * features;
    }
}
