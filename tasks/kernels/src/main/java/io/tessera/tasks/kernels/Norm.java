package io.tessera.tasks.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Row normalisations. RMSNorm: y = x / sqrt(mean(x^2) + eps) * scale, with scale = w (the plain
 * form: GGUF files of Gemma 1-3, which store 1+w, and Gemma 3n/4 in every format) or scale = 1 + w
 * (HF/JAX checkpoints of Gemma 1-3, {@code Gemma3RMSNorm}). LayerNorm: y = (x - mean) /
 * sqrt(var + eps) * w + b, with the biased variance (SigLIP). Sums run in float. {@code out} may
 * alias {@code x}.
 */
public final class Norm {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Norm() {
    }

    /** x, out: [rows][dim]; weight: [dim]. out = x / rms(x) * weight. */
    @Kernel(jvm = "rmsNormVec")
    public static void rmsNorm(FloatArray x, FloatArray weight, FloatArray out, int rows, int dim, float eps) {
        for (@Parallel int r = 0; r < rows; r++) {
            long base = (long) r * dim;
            float ss = 0.0f;
            for (int j = 0; j < dim; j++) {
                float v = x.get(base + j);
                ss += v * v;
            }
            float inv = KernelMath.rsqrt(ss / dim + eps);
            for (int j = 0; j < dim; j++) {
                out.set(base + j, x.get(base + j) * inv * weight.get(j));
            }
        }
    }

    /** x, out: [rows][dim]; weight: [dim]. out = x / rms(x) * (1 + weight). */
    @Kernel(jvm = "rmsNormOnePlusVec")
    public static void rmsNormOnePlus(FloatArray x, FloatArray weight, FloatArray out, int rows, int dim, float eps) {
        for (@Parallel int r = 0; r < rows; r++) {
            long base = (long) r * dim;
            float ss = 0.0f;
            for (int j = 0; j < dim; j++) {
                float v = x.get(base + j);
                ss += v * v;
            }
            float inv = KernelMath.rsqrt(ss / dim + eps);
            for (int j = 0; j < dim; j++) {
                out.set(base + j, x.get(base + j) * inv * (1.0f + weight.get(j)));
            }
        }
    }

    /**
     * Per-head RMSNorm (QK-norm): each head vector of each token is normalised over headDim and
     * scaled by the shared weight. x, out: [tokens][heads][headDim]; weight: [headDim].
     */
    @Kernel(jvm = "rmsNormHeadsVec")
    public static void rmsNormHeads(FloatArray x, FloatArray weight, FloatArray out,
                                    int tokens, int heads, int headDim, float eps) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < heads; h++) {
                long base = ((long) t * heads + h) * headDim;
                float ss = 0.0f;
                for (int j = 0; j < headDim; j++) {
                    float v = x.get(base + j);
                    ss += v * v;
                }
                float inv = KernelMath.rsqrt(ss / headDim + eps);
                for (int j = 0; j < headDim; j++) {
                    out.set(base + j, x.get(base + j) * inv * weight.get(j));
                }
            }
        }
    }

    /** As {@link #rmsNormHeads} with scale 1 + weight (HF Gemma 3 {@code q_norm}/{@code k_norm}). */
    @Kernel(jvm = "rmsNormHeadsOnePlusVec")
    public static void rmsNormHeadsOnePlus(FloatArray x, FloatArray weight, FloatArray out,
                                           int tokens, int heads, int headDim, float eps) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < heads; h++) {
                long base = ((long) t * heads + h) * headDim;
                float ss = 0.0f;
                for (int j = 0; j < headDim; j++) {
                    float v = x.get(base + j);
                    ss += v * v;
                }
                float inv = KernelMath.rsqrt(ss / headDim + eps);
                for (int j = 0; j < headDim; j++) {
                    out.set(base + j, x.get(base + j) * inv * (1.0f + weight.get(j)));
                }
            }
        }
    }

    /**
     * RMSNorm without a scale (the value norm of Gemma 3n/4 attention). x, out: [rows][dim].
     */
    @Kernel
    public static void rmsNormNoScale(FloatArray x, FloatArray out, int rows, int dim, float eps) {
        for (@Parallel int r = 0; r < rows; r++) {
            long base = (long) r * dim;
            float ss = 0.0f;
            for (int j = 0; j < dim; j++) {
                float v = x.get(base + j);
                ss += v * v;
            }
            float inv = KernelMath.rsqrt(ss / dim + eps);
            for (int j = 0; j < dim; j++) {
                out.set(base + j, x.get(base + j) * inv);
            }
        }
    }

    /** x, out: [rows][dim]; weight, bias: [dim]. Two passes: mean, then the centred variance. */
    @Kernel(jvm = "layerNormVec")
    public static void layerNorm(FloatArray x, FloatArray weight, FloatArray bias, FloatArray out,
                                 int rows, int dim, float eps) {
        for (@Parallel int r = 0; r < rows; r++) {
            long base = (long) r * dim;
            float sum = 0.0f;
            for (int j = 0; j < dim; j++) {
                sum += x.get(base + j);
            }
            float mean = sum / dim;
            float var = 0.0f;
            for (int j = 0; j < dim; j++) {
                float c = x.get(base + j) - mean;
                var += c * c;
            }
            float inv = KernelMath.rsqrt(var / dim + eps);
            for (int j = 0; j < dim; j++) {
                out.set(base + j, (x.get(base + j) - mean) * inv * weight.get(j) + bias.get(j));
            }
        }
    }

    static void rmsNormVec(FloatArray x, FloatArray weight, FloatArray out, int rows, int dim, float eps,
                           int from, int to) {
        rmsRows(x, weight, out, dim, 0.0f, eps, from, to);
    }

    static void rmsNormOnePlusVec(FloatArray x, FloatArray weight, FloatArray out, int rows, int dim, float eps,
                                  int from, int to) {
        rmsRows(x, weight, out, dim, 1.0f, eps, from, to);
    }

    static void rmsNormHeadsVec(FloatArray x, FloatArray weight, FloatArray out,
                                int tokens, int heads, int headDim, float eps, int from, int to) {
        rmsRows(x, weight, out, headDim, 0.0f, eps, from * heads, to * heads);
    }

    static void rmsNormHeadsOnePlusVec(FloatArray x, FloatArray weight, FloatArray out,
                                       int tokens, int heads, int headDim, float eps, int from, int to) {
        rmsRows(x, weight, out, headDim, 1.0f, eps, from * heads, to * heads);
    }

    /** Rows [from, to) of x: out = x / rms(x) * (offset + weight). */
    private static void rmsRows(FloatArray x, FloatArray weight, FloatArray out, int dim, float offset, float eps,
                                int from, int to) {
        MemorySegment xs = x.segment();
        MemorySegment ws = weight.segment();
        MemorySegment os = out.segment();
        int upper = Vectors.F.loopBound(dim);
        for (int r = from; r < to; r++) {
            long base = (long) r * dim;
            float inv = (float) (1.0 / Math.sqrt(Vectors.sumSquares(xs, base, dim) / dim + eps));
            long bb = base * 4;
            int j = 0;
            for (; j < upper; j += Vectors.L) {
                FloatVector scale = FloatVector.fromMemorySegment(Vectors.F, ws, (long) j * 4, LE).add(offset);
                FloatVector.fromMemorySegment(Vectors.F, xs, bb + (long) j * 4, LE).mul(inv).mul(scale)
                        .intoMemorySegment(os, bb + (long) j * 4, LE);
            }
            for (; j < dim; j++) {
                out.set(base + j, x.get(base + j) * inv * (offset + weight.get(j)));
            }
        }
    }

    static void layerNormVec(FloatArray x, FloatArray weight, FloatArray bias, FloatArray out,
                             int rows, int dim, float eps, int from, int to) {
        MemorySegment xs = x.segment();
        MemorySegment ws = weight.segment();
        MemorySegment bs = bias.segment();
        MemorySegment os = out.segment();
        int upper = Vectors.F.loopBound(dim);
        for (int r = from; r < to; r++) {
            long bb = (long) r * dim * 4;
            FloatVector acc = FloatVector.zero(Vectors.F);
            int j = 0;
            for (; j < upper; j += Vectors.L) {
                acc = acc.add(FloatVector.fromMemorySegment(Vectors.F, xs, bb + (long) j * 4, LE));
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; j < dim; j++) {
                sum += xs.get(ValueLayout.JAVA_FLOAT_UNALIGNED, bb + (long) j * 4);
            }
            float mean = sum / dim;
            acc = FloatVector.zero(Vectors.F);
            for (j = 0; j < upper; j += Vectors.L) {
                FloatVector c = FloatVector.fromMemorySegment(Vectors.F, xs, bb + (long) j * 4, LE).sub(mean);
                acc = c.fma(c, acc);
            }
            float var = acc.reduceLanes(VectorOperators.ADD);
            for (; j < dim; j++) {
                float c = xs.get(ValueLayout.JAVA_FLOAT_UNALIGNED, bb + (long) j * 4) - mean;
                var += c * c;
            }
            float inv = (float) (1.0 / Math.sqrt(var / dim + eps));
            for (j = 0; j < upper; j += Vectors.L) {
                long o = (long) j * 4;
                FloatVector.fromMemorySegment(Vectors.F, xs, bb + o, LE).sub(mean).mul(inv)
                        .fma(FloatVector.fromMemorySegment(Vectors.F, ws, o, LE),
                                FloatVector.fromMemorySegment(Vectors.F, bs, o, LE))
                        .intoMemorySegment(os, bb + o, LE);
            }
            for (; j < dim; j++) {
                long o = (long) j * 4;
                float v = xs.get(ValueLayout.JAVA_FLOAT_UNALIGNED, bb + o);
                os.set(ValueLayout.JAVA_FLOAT_UNALIGNED, bb + o, (v - mean) * inv * weight.get(j) + bias.get(j));
            }
        }
    }
}
