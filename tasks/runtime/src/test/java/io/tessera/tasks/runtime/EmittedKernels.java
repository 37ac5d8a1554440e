package io.tessera.tasks.runtime;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelContext;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/** Kernels whose device code comes from their IR, through the compiler's back ends. */
public final class EmittedKernels {
    private EmittedKernels() {
    }

    @Kernel
    public static void saxpy(float alpha, FloatArray x, FloatArray y, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            y.set(i, alpha * x.get(i) + y.get(i));
        }
    }

    /** {@code c = a (rows x inner) * b (inner x cols)}, two parallel dimensions. */
    @Kernel
    public static void matMul(FloatArray a, FloatArray b, FloatArray c, int rows, int inner, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int col = 0; col < cols; col++) {
                float sum = 0f;
                for (int k = 0; k < inner; k++) {
                    sum += a.get(r * inner + k) * b.get(k * cols + col);
                }
                c.set(r * cols + col, sum);
            }
        }
    }

    /** Root-mean-square norm of each row, over the length of the weight array. */
    @Kernel
    public static void rmsNormRows(FloatArray x, HalfArray weight, FloatArray out, int rows, boolean addOne) {
        int width = (int) weight.length();
        for (@Parallel int r = 0; r < rows; r++) {
            float ss = 0f;
            for (int i = 0; i < width; i++) {
                float v = x.get(r * width + i);
                ss += v * v;
            }
            float scale = KernelMath.rsqrt(ss / width + 1e-6f);
            for (int i = 0; i < width; i++) {
                out.set(r * width + i, x.get(r * width + i) * scale * weightOf(weight, i, addOne));
            }
        }
    }

    private static float weightOf(HalfArray weight, int i, boolean addOne) {
        return addOne ? 1f + weight.get(i) : weight.get(i);
    }

    /** Per-group maximum in local memory with barriers. */
    @Kernel
    public static void groupMax(KernelContext ctx, FloatArray in, FloatArray out) {
        float[] scratch = ctx.allocateFloatLocalArray(32);
        int lid = ctx.localId(0);
        scratch[lid] = in.get(ctx.globalId(0));
        ctx.localBarrier();
        for (int s = ctx.localSize(0) / 2; s > 0; s = s / 2) {
            if (lid < s) {
                scratch[lid] = Math.max(scratch[lid], scratch[lid + s]);
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            out.set(ctx.groupId(0), scratch[0]);
        }
    }

    @Kernel
    public static void histogramIndex(IntArray values, IntArray out, int buckets) {
        for (@Parallel int i = 0; i < values.length(); i++) {
            out.set(i, Math.abs(values.get(i)) % buckets);
        }
    }

    /** Writes {@code out} only through a helper, two calls deep. */
    @Kernel
    public static void helperWrites(FloatArray in, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            storeDoubled(out, i, in.get(i));
        }
    }

    private static void storeDoubled(FloatArray target, int i, float v) {
        store(target, i, v * 2f);
    }

    private static void store(FloatArray target, int i, float v) {
        target.set(i, v);
    }
}
