package io.tessera.tasks.kernels;

import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;

/**
 * Seeded random typed arrays, conversions to double for references, and the normalised mean
 * squared error NMSE = sum (a - r)^2 / sum r^2 by which faster forms are compared with the
 * reference.
 */
final class TestArrays {
    private TestArrays() {
    }

    static SplittableRandom random(long seed) {
        return new SplittableRandom(seed);
    }

    /** Uniform floats in [-scale, scale). */
    static FloatArray floats(SplittableRandom rnd, long n, double scale) {
        FloatArray a = FloatArray.allocate(n);
        for (long i = 0; i < n; i++) {
            a.set(i, (float) ((rnd.nextDouble() * 2 - 1) * scale));
        }
        return a;
    }

    /** Uniform values in [-scale, scale) stored as binary16 by Java's own conversion. */
    static HalfArray halves(SplittableRandom rnd, long n, double scale) {
        HalfArray a = HalfArray.allocate(n);
        for (long i = 0; i < n; i++) {
            short bits = Float.floatToFloat16((float) ((rnd.nextDouble() * 2 - 1) * scale));
            a.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2, bits);
        }
        return a;
    }

    /** Uniform values in [-scale, scale) stored as bfloat16, truncating the low 16 bits. */
    static BFloat16Array bfloat16s(SplittableRandom rnd, long n, double scale) {
        BFloat16Array a = BFloat16Array.allocate(n);
        for (long i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits((float) ((rnd.nextDouble() * 2 - 1) * scale));
            a.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2, (short) (bits >>> 16));
        }
        return a;
    }

    /** A float array of n copies of NaN: outputs that a kernel must overwrite, or leave alone. */
    static FloatArray nans(long n) {
        FloatArray a = FloatArray.allocate(n);
        a.fill(Float.NaN);
        return a;
    }

    static FloatArray copyOf(FloatArray a) {
        FloatArray c = FloatArray.allocate(a.length());
        c.segment().copyFrom(a.segment());
        return c;
    }

    static IntArray ints(int... values) {
        return IntArray.of(values);
    }

    static double[] toDoubles(FloatArray a) {
        double[] d = new double[(int) a.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i);
        }
        return d;
    }

    /** Elements decoded from the raw binary16 bits. */
    static double[] toDoubles(HalfArray a) {
        double[] d = new double[(int) a.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Float.float16ToFloat(a.segment().get(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2L));
        }
        return d;
    }

    /** Elements decoded from the raw bfloat16 bits. */
    static double[] toDoubles(BFloat16Array a) {
        double[] d = new double[(int) a.length()];
        for (int i = 0; i < d.length; i++) {
            int bits = a.segment().get(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2L) & 0xFFFF;
            d[i] = Float.intBitsToFloat(bits << 16);
        }
        return d;
    }

    /** NMSE of {@code actual} against {@code expected} over all elements. */
    static double nmse(double[] expected, FloatArray actual) {
        if (actual.length() < expected.length) {
            throw new IllegalArgumentException("actual has " + actual.length() + " elements, expected " + expected.length);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = actual.get(i) - expected[i];
            num += diff * diff;
            den += expected[i] * expected[i];
        }
        if (Double.isNaN(num)) {
            return Double.POSITIVE_INFINITY;
        }
        return den == 0 ? num : num / den;
    }

    static double nmse(FloatArray expected, FloatArray actual) {
        return nmse(toDoubles(expected), actual);
    }

    /**
     * Slice boundaries that cover [0, n) unevenly: a first slice of one iteration (when n &gt; 1),
     * a middle one and the rest, as a worker pool might split dimension 0.
     */
    static int[] cuts(int n) {
        if (n <= 1) {
            return new int[] {0, n};
        }
        if (n == 2) {
            return new int[] {0, 1, 2};
        }
        return new int[] {0, 1, 1 + (n - 1) / 3, n};
    }
}
