package io.tessera.tasks.compiler.testkernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/** Kernels that call helper functions: overloads, typed-array parameters, void helpers, doubles. */
public final class HelperKernels {
    private HelperKernels() {
    }

    static float square(float x) {
        return x * x;
    }

    static double square(double x) {
        return x * x;
    }

    static float clampUnit(float v) {
        return v < -1f ? -1f : v > 1f ? 1f : v;
    }

    static float dot(FloatArray a, FloatArray b, long offset, int n) {
        float s = 0;
        for (int k = 0; k < n; k++) {
            s += a.get(offset + k) * b.get(offset + k);
        }
        return s;
    }

    static void scaleInto(FloatArray out, long i, float v) {
        out.set(i, clampUnit(v) * 2f);
    }

    @Kernel
    public static void rowNorms(FloatArray a, FloatArray out, int rows, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            float d = dot(a, a, (long) r * cols, cols);
            scaleInto(out, r, (float) square((double) KernelMath.sqrt(d) * 0.25) - square(d) * 0.01f);
        }
    }

    /** GELU in double precision or its tanh approximation in float, chosen by a flag. */
    @Kernel
    public static void gelu(FloatArray x, FloatArray out, boolean exact) {
        for (@Parallel int i = 0; i < x.length(); i++) {
            float v = x.get(i);
            if (exact) {
                double d = v;
                out.set(i, (float) (0.5 * d * (1.0 + Math.tanh(0.7978845608028654 * (d + 0.044715 * d * d * d)))));
            } else {
                out.set(i, 0.5f * v * (1f + KernelMath.tanh(0.7978846f * (v + 0.044715f * v * v * v))));
            }
        }
    }

    /** No parallel loop: one work-item runs the whole body (an inclusive prefix sum). */
    @Kernel
    public static void prefixSum(FloatArray a) {
        for (long i = 1; i < a.length(); i++) {
            a.set(i, a.get(i) + a.get(i - 1));
        }
    }

    /** Kernels in a nested class are found too. */
    public static final class Nested {
        private Nested() {
        }

        @Kernel
        public static void fill(FloatArray a, float value, long count) {
            for (@Parallel long i = 0; i < Math.min(count, a.length()); i++) {
                a.set(i, value + i % 3);
            }
        }
    }
}
