package io.seqcast.kernel;

/**
 * Branch-free float {@code tanh} and sigmoid that the JIT vectorises inside the cell-update loops: a rational
 * minimax approximation of degree 13/6 on {@code [-7.9053, 7.9053]} (the one Eigen uses), outside which tanh is
 * {@code ±1} in float. Absolute error below {@code 5e-7} over the whole line (checked by {@code FastMathTest}),
 * against {@link Math#tanh}, which is not a JIT intrinsic on Java 17 and costs tens of nanoseconds a call.
 */
final class FastMath {

    private static final float CLAMP = 7.90531110763549805f;
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    private FastMath() {}

    static float tanh(float v) {
        float x = Math.max(-CLAMP, Math.min(CLAMP, v));
        float x2 = x * x;
        float p = x2 * A13 + A11;
        p = x2 * p + A9;
        p = x2 * p + A7;
        p = x2 * p + A5;
        p = x2 * p + A3;
        p = x2 * p + A1;
        p = x * p;
        float q = x2 * B6 + B4;
        q = x2 * q + B2;
        q = x2 * q + B0;
        return p / q;
    }

    static float sigmoid(float v) {
        return 0.5f + 0.5f * tanh(0.5f * v);
    }
}
