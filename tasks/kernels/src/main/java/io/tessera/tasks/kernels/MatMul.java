package io.tessera.tasks.kernels;

import java.lang.foreign.MemorySegment;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/**
 * Matrix products for a batch of tokens (prefill, encoders), one kernel per weight type:
 * y[t] = W x[t]. W: [n][k]; x: [tokens][k]; y: [tokens][n]. Dimension 0 runs over the rows of W,
 * dimension 1 over tokens. Each output is a float sum in element order (per block, then scaled by
 * d, for Q8_0/Q4_0, whose k must be a multiple of 32).
 *
 * <p>The JVM forms decode a weight row once into a float buffer and use it for a block of tokens,
 * four tokens per pass, so the cost of dequantisation is shared by the whole block.
 */
public final class MatMul {
    /** Tokens that share one decoded weight row in the JVM forms (their x rows stay in cache). */
    private static final int TOKEN_BLOCK = 32;

    private MatMul() {
    }

    @Kernel(jvm = "matMulF32Vec")
    public static void matMulF32(FloatArray w, FloatArray x, FloatArray y, int tokens, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                long row = (long) i * k;
                long xrow = (long) t * k;
                float sum = 0.0f;
                for (int j = 0; j < k; j++) {
                    sum += w.get(row + j) * x.get(xrow + j);
                }
                y.set((long) t * n + i, sum);
            }
        }
    }

    @Kernel(jvm = "matMulF16Vec")
    public static void matMulF16(HalfArray w, FloatArray x, FloatArray y, int tokens, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                long row = (long) i * k;
                long xrow = (long) t * k;
                float sum = 0.0f;
                for (int j = 0; j < k; j++) {
                    sum += w.get(row + j) * x.get(xrow + j);
                }
                y.set((long) t * n + i, sum);
            }
        }
    }

    @Kernel(jvm = "matMulBF16Vec")
    public static void matMulBF16(BFloat16Array w, FloatArray x, FloatArray y, int tokens, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                long row = (long) i * k;
                long xrow = (long) t * k;
                float sum = 0.0f;
                for (int j = 0; j < k; j++) {
                    sum += w.get(row + j) * x.get(xrow + j);
                }
                y.set((long) t * n + i, sum);
            }
        }
    }

    /** w: n rows of k/32 Q8_0 blocks (34 bytes each). */
    @Kernel(jvm = "matMulQ8_0Vec")
    public static void matMulQ8_0(ByteArray w, FloatArray x, FloatArray y, int tokens, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                int blocks = k / 32;
                long row = (long) i * blocks * 34;
                long xrow = (long) t * k;
                float sum = 0.0f;
                for (int b = 0; b < blocks; b++) {
                    long blk = row + (long) b * 34;
                    float d = w.getHalf(blk);
                    float part = 0.0f;
                    for (int j = 0; j < 32; j++) {
                        part += w.get(blk + 2 + j) * x.get(xrow + b * 32 + j);
                    }
                    sum += d * part;
                }
                y.set((long) t * n + i, sum);
            }
        }
    }

    /** w: n rows of k/32 Q4_0 blocks (18 bytes each). */
    @Kernel(jvm = "matMulQ4_0Vec")
    public static void matMulQ4_0(ByteArray w, FloatArray x, FloatArray y, int tokens, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                int blocks = k / 32;
                long row = (long) i * blocks * 18;
                long xrow = (long) t * k;
                float sum = 0.0f;
                for (int b = 0; b < blocks; b++) {
                    long blk = row + (long) b * 18;
                    float d = w.getHalf(blk);
                    float part = 0.0f;
                    for (int j = 0; j < 16; j++) {
                        int q = w.get(blk + 2 + j) & 0xFF;
                        part += ((q & 0x0F) - 8) * x.get(xrow + b * 32 + j);
                        part += ((q >> 4) - 8) * x.get(xrow + b * 32 + 16 + j);
                    }
                    sum += d * part;
                }
                y.set((long) t * n + i, sum);
            }
        }
    }

    static void matMulF32Vec(FloatArray w, FloatArray x, FloatArray y, int tokens, int n, int k, int from, int to) {
        MemorySegment ws = w.segment();
        rows((i, row) -> Vectors.decodeF32(ws, (long) i * k, k, row), x, y, tokens, n, k, from, to);
    }

    static void matMulF16Vec(HalfArray w, FloatArray x, FloatArray y, int tokens, int n, int k, int from, int to) {
        MemorySegment ws = w.segment();
        rows((i, row) -> Vectors.decodeF16(ws, (long) i * k, k, row), x, y, tokens, n, k, from, to);
    }

    static void matMulBF16Vec(BFloat16Array w, FloatArray x, FloatArray y, int tokens, int n, int k, int from, int to) {
        MemorySegment ws = w.segment();
        rows((i, row) -> Vectors.decodeBF16(ws, (long) i * k, k, row), x, y, tokens, n, k, from, to);
    }

    static void matMulQ8_0Vec(ByteArray w, FloatArray x, FloatArray y, int tokens, int n, int k, int from, int to) {
        MemorySegment ws = w.segment();
        long rowBytes = Quant.q8_0RowBytes(k);
        rows((i, row) -> Vectors.decodeQ8_0(ws, i * rowBytes, k, row), x, y, tokens, n, k, from, to);
    }

    static void matMulQ4_0Vec(ByteArray w, FloatArray x, FloatArray y, int tokens, int n, int k, int from, int to) {
        MemorySegment ws = w.segment();
        long rowBytes = Quant.q4_0RowBytes(k);
        rows((i, row) -> Vectors.decodeQ4_0(ws, i * rowBytes, k, row), x, y, tokens, n, k, from, to);
    }

    /** Decodes weight row {@code i} into {@code row[0..k)}. */
    @FunctionalInterface
    private interface RowDecoder {
        void decode(int i, float[] row);
    }

    private static void rows(RowDecoder decoder, FloatArray x, FloatArray y, int tokens, int n, int k,
                             int from, int to) {
        MemorySegment xs = x.segment();
        float[] row = new float[k];
        float[] four = new float[4];
        for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
            int t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
            for (int i = from; i < to; i++) {
                decoder.decode(i, row);
                int t = t0;
                for (; t + 4 <= t1; t += 4) {
                    Vectors.dot4(row, xs, (long) t * k, k, k, four);
                    for (int r = 0; r < 4; r++) {
                        y.set((long) (t + r) * n + i, four[r]);
                    }
                }
                for (; t < t1; t++) {
                    y.set((long) t * n + i, Vectors.dot(row, xs, (long) t * k, k));
                }
            }
        }
    }
}
