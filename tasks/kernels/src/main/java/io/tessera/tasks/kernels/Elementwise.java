package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/** Element-wise arithmetic over flat float vectors. {@code out} may alias an input. */
public final class Elementwise {
    private Elementwise() {
    }

    /** out = a + b. a, b, out: [n] */
    @Kernel
    public static void add(FloatArray a, FloatArray b, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, a.get(i) + b.get(i));
        }
    }

    /** out = a * b (Hadamard product). a, b, out: [n] */
    @Kernel
    public static void mul(FloatArray a, FloatArray b, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, a.get(i) * b.get(i));
        }
    }

    /** out = s * x, e.g. the {@code sqrt(hidden)} scaling of text embeddings. x, out: [n] */
    @Kernel
    public static void scale(FloatArray x, FloatArray out, int n, float s) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, s * x.get(i));
        }
    }

    /** out = a + s * b: a residual connection ({@code s = 1}) or a weighted one. a, b, out: [n] */
    @Kernel
    public static void addScaled(FloatArray a, FloatArray b, FloatArray out, int n, float s) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, a.get(i) + s * b.get(i));
        }
    }

    /**
     * out[r][j] = x[r][j] + bias[j]: the bias of a linear layer over a batch of rows.
     * x, out: [rows][dim]; bias: [dim]
     */
    @Kernel
    public static void addBias(FloatArray x, FloatArray bias, FloatArray out, int rows, int dim) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int j = 0; j < dim; j++) {
                long idx = (long) r * dim + j;
                out.set(idx, x.get(idx) + bias.get(j));
            }
        }
    }

    /**
     * dst[dstOffset + i] = src[srcOffset + i] for i in [0, n), in the order of
     * {@code System.arraycopy}; writes one position of a KV cache, or gathers a slice.
     * The two ranges must not overlap.
     */
    @Kernel
    public static void copy(FloatArray src, long srcOffset, FloatArray dst, long dstOffset, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            dst.set(dstOffset + i, src.get(srcOffset + i));
        }
    }

    /**
     * out[r][j] = a[r][j] * b[r * bStride + bOffset + j]: rows multiplied by a slice of wider rows,
     * e.g. one layer's part of the per-layer inputs [tokens][layers][dim] (Gemma 3n/4).
     * a, out: [rows][dim]
     */
    @Kernel
    public static void mulSlice(FloatArray a, FloatArray b, FloatArray out, int rows, int dim, int bStride,
                                int bOffset) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int j = 0; j < dim; j++) {
                long idx = (long) r * dim + j;
                out.set(idx, a.get(idx) * b.get((long) r * bStride + bOffset + j));
            }
        }
    }

    /** out = s[0] * x: a scale held in a tensor (Gemma 4 {@code layer_output_scale}). x, out: [n]; s: [1] */
    @Kernel
    public static void scaleBy(FloatArray x, FloatArray s, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, s.get(0) * x.get(i));
        }
    }
}
