package io.seqcast.state;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PackedFloats}' two scans of an array's exponents, a vector of floats at a time: the largest finite exponent
 * and the count of escaped steps below it. Loaded only when the JVM has {@code jdk.incubator.vector}
 * ({@link PackedFloats} scans value by value otherwise); the same results, which {@code PackedFloatsTest} checks.
 */
final class VectorExponents {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    private VectorExponents() {}

    /** {@link PackedFloats#scalarTop}. */
    static int top(float[] v, int notFinite) {
        IntVector max = IntVector.broadcast(INTS, -1);
        int i = 0;
        for (int upper = FLOATS.loopBound(v.length); i < upper; i += FLOATS.length()) {
            IntVector e = exponents(v, i);
            max = max.lanewise(VectorOperators.MAX, e, e.compare(VectorOperators.NE, notFinite));
        }
        int top = max.reduceLanes(VectorOperators.MAX);
        for (; i < v.length; i++) {
            int e = Float.floatToRawIntBits(v[i]) >>> 23 & 0xFF;
            if (e != notFinite && e > top) {
                top = e;
            }
        }
        return top;
    }

    /** {@link PackedFloats#scalarEscapes}: values whose step below {@code top} is negative or at least {@code escape}. */
    static int escapes(float[] v, int top, int escape) {
        IntVector topV = IntVector.broadcast(INTS, top);
        int escapes = 0;
        int i = 0;
        for (int upper = FLOATS.loopBound(v.length); i < upper; i += FLOATS.length()) {
            IntVector step = topV.sub(exponents(v, i));
            // step < 0 || step >= escape; not UNSIGNED_GE, which JDK 20 renamed (UGE): the signed comparisons are
            // the same members in every JDK that has the incubator module
            escapes += step.compare(VectorOperators.LT, 0)
                    .or(step.compare(VectorOperators.GE, escape))
                    .trueCount();
        }
        for (; i < v.length; i++) {
            int step = top - (Float.floatToRawIntBits(v[i]) >>> 23 & 0xFF);
            if (step < 0 || step >= escape) {
                escapes++;
            }
        }
        return escapes;
    }

    private static IntVector exponents(float[] v, int at) {
        return FloatVector.fromArray(FLOATS, v, at)
                .reinterpretAsInts()
                .lanewise(VectorOperators.LSHR, 23)
                .and(0xFF);
    }
}
