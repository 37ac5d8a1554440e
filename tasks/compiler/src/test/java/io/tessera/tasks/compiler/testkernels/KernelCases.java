package io.tessera.tasks.compiler.testkernels;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.LongArray;
import java.util.List;
import java.util.Random;

/** The @Parallel test kernels with their seeded arguments. */
public final class KernelCases {
    private KernelCases() {
    }

    public static List<KernelCase> parallel() {
        return List.of(
                new KernelCase("saxpy", BasicKernels.class, "saxpy",
                        r -> new Object[] {1.5f, KernelCase.floats(r, 1000, 10), KernelCase.floats(r, 1000, 10)}, 0, new long[] {64}),
                new KernelCase("integerOps", BasicKernels.class, "integerOps",
                        r -> new Object[] {KernelCase.ints(r, 333, 1 << 20), IntArray.allocate(333), 3}, 0, new long[] {32}),
                new KernelCase("integerOps, shift masked", BasicKernels.class, "integerOps",
                        r -> new Object[] {KernelCase.ints(r, 100, 1 << 20), IntArray.allocate(100), 35}, 0, new long[] {16}),
                new KernelCase("longOps", BasicKernels.class, "longOps", KernelCases::longs, 0, new long[] {16}),
                new KernelCase("floatOps", BasicKernels.class, "floatOps",
                        r -> new Object[] {KernelCase.floats(r, 500, 4), FloatArray.allocate(500), IntArray.allocate(500)},
                        2e-5, new long[] {64}),
                new KernelCase("matmul", BasicKernels.class, "matmul",
                        r -> new Object[] {KernelCase.floats(r, 13 * 5, 1), KernelCase.floats(r, 5 * 7, 1),
                                FloatArray.allocate(13 * 7), 13, 5, 7}, 1e-6, new long[] {4, 3}),
                new KernelCase("controlFlow", BasicKernels.class, "controlFlow",
                        r -> new Object[] {KernelCase.ints(r, 200, 100000), IntArray.allocate(200)}, 0, new long[] {16}),
                new KernelCase("matVecQ8_0", QuantKernels.class, "matVecQ8_0", KernelCases::q8_0, 1e-5, new long[] {3}),
                new KernelCase("byteReads", QuantKernels.class, "byteReads",
                        r -> new Object[] {bytes(r, 7 * 50 + 8), IntArray.allocate(50)}, 0, new long[] {8}),
                new KernelCase("halfPrecision", QuantKernels.class, "halfPrecision", KernelCases::halves, 0, new long[] {16}),
                new KernelCase("floatBits", QuantKernels.class, "floatBits", KernelCases::specialFloats, 0, new long[] {4}),
                new KernelCase("rowNorms", HelperKernels.class, "rowNorms",
                        r -> new Object[] {KernelCase.floats(r, 9 * 6, 2), FloatArray.allocate(9), 9, 6}, 1e-5, new long[] {4}),
                new KernelCase("gelu exact", HelperKernels.class, "gelu",
                        r -> new Object[] {KernelCase.floats(r, 300, 5), FloatArray.allocate(300), true}, 1e-6, new long[] {32}),
                new KernelCase("gelu tanh", HelperKernels.class, "gelu",
                        r -> new Object[] {KernelCase.floats(r, 300, 5), FloatArray.allocate(300), false}, 1e-5, new long[] {32}),
                new KernelCase("prefixSum", HelperKernels.class, "prefixSum",
                        r -> new Object[] {KernelCase.floats(r, 100, 1)}, 1e-6, new long[] {1}),
                new KernelCase("nested fill", HelperKernels.Nested.class, "fill",
                        r -> new Object[] {FloatArray.allocate(40), 0.25f, 29L}, 0, new long[] {8}));
    }

    private static Object[] longs(Random r) {
        LongArray in = LongArray.allocate(120);
        for (int i = 0; i < 120; i++) {
            in.set(i, r.nextLong(-(1L << 40), 1L << 40));
        }
        return new Object[] {in, LongArray.allocate(120), 1234567L};
    }

    static ByteArray bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return ByteArray.of(b);
    }

    private static Object[] q8_0(Random r) {
        int rows = 8;
        int cols = 64;
        int blocks = cols / QuantKernels.Q8_0_BLOCK;
        byte[] w = new byte[rows * blocks * QuantKernels.Q8_0_BYTES];
        r.nextBytes(w);
        for (int b = 0; b < rows * blocks; b++) {
            short scale = Float.floatToFloat16(r.nextFloat() * 0.1f);
            w[b * QuantKernels.Q8_0_BYTES] = (byte) scale;
            w[b * QuantKernels.Q8_0_BYTES + 1] = (byte) (scale >> 8);
        }
        return new Object[] {ByteArray.of(w), KernelCase.floats(r, cols, 1), FloatArray.allocate(rows), rows, cols};
    }

    private static Object[] halves(Random r) {
        int n = 200;
        HalfArray h = HalfArray.allocate(n);
        BFloat16Array bf = BFloat16Array.allocate(n);
        for (int i = 0; i < n; i++) {
            h.set(i, (r.nextFloat() * 2 - 1) * 100);
            bf.set(i, (r.nextFloat() * 2 - 1) * 1e4f);
        }
        h.set(0, 65504f);
        bf.set(1, Float.NaN);
        return new Object[] {h, bf, FloatArray.allocate(n), HalfArray.allocate(n), BFloat16Array.allocate(n)};
    }

    private static Object[] specialFloats(Random r) {
        FloatArray in = KernelCase.floats(r, 40, 1e6f);
        float[] special = {Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, Float.MAX_VALUE, 1.0f};
        for (int i = 0; i < special.length; i++) {
            in.set(i, special[i]);
        }
        return new Object[] {in, IntArray.allocate(40), FloatArray.allocate(40)};
    }
}
