package io.seqcast.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class FastMathTest {

    @Test
    void tanhAndSigmoidShouldStayWithin5e7OfTheExactFunctionsOverTheWholeLine() {
        double worstTanh = 0;
        double worstSigmoid = 0;
        for (double x = -40; x <= 40; x += 1e-4) {
            float f = (float) x;
            worstTanh = Math.max(worstTanh, Math.abs(FastMath.tanh(f) - Math.tanh(f)));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(FastMath.sigmoid(f) - 1 / (1 + Math.exp(-f))));
        }
        assertTrue(worstTanh < 5e-7, "tanh error " + worstTanh);
        assertTrue(worstSigmoid < 5e-7, "sigmoid error " + worstSigmoid);
    }

    @Test
    void vectorTanhShouldAgreeWithTheScalarOne() {
        int lanes = VectorKernel.lanes();
        float[] xs = new float[lanes];
        float[] ys = new float[lanes];
        double worst = 0;
        for (double x = -12; x <= 12; x += 1e-3 * lanes) {
            for (int i = 0; i < lanes; i++) {
                xs[i] = (float) (x + i * 1e-3);
            }
            VectorKernel.tanh(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, xs, 0))
                    .intoArray(ys, 0);
            for (int i = 0; i < lanes; i++) {
                worst = Math.max(worst, Math.abs(ys[i] - Math.tanh(xs[i])));
            }
        }
        assertTrue(worst < 5e-7, "vector tanh error " + worst);
    }
}
