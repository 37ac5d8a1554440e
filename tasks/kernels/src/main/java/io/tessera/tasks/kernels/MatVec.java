package io.tessera.tasks.kernels;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/**
 * Matrix-vector products y = W x for one token (decode), one kernel per weight type.
 * W: [n][k] (row i holds output i's weights); x: [k]; y: [n]. Sums run in float in element order
 * within a row (per block for the quantised types, then scaled by the block's d, as ggml does).
 * Q8_0/Q4_0 need {@code k} to be a multiple of 32 (see {@link Quant}).
 */
public final class MatVec {
    private MatVec() {
    }

    @Kernel(jvm = "matVecF32Vec")
    public static void matVecF32(FloatArray w, FloatArray x, FloatArray y, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            long row = (long) i * k;
            float sum = 0.0f;
            for (int j = 0; j < k; j++) {
                sum += w.get(row + j) * x.get(j);
            }
            y.set(i, sum);
        }
    }

    @Kernel(jvm = "matVecF16Vec")
    public static void matVecF16(HalfArray w, FloatArray x, FloatArray y, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            long row = (long) i * k;
            float sum = 0.0f;
            for (int j = 0; j < k; j++) {
                sum += w.get(row + j) * x.get(j);
            }
            y.set(i, sum);
        }
    }

    @Kernel(jvm = "matVecBF16Vec")
    public static void matVecBF16(BFloat16Array w, FloatArray x, FloatArray y, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            long row = (long) i * k;
            float sum = 0.0f;
            for (int j = 0; j < k; j++) {
                sum += w.get(row + j) * x.get(j);
            }
            y.set(i, sum);
        }
    }

    /** w: n rows of k/32 Q8_0 blocks (34 bytes each). */
    @Kernel(jvm = "matVecQ8_0Vec")
    public static void matVecQ8_0(ByteArray w, FloatArray x, FloatArray y, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            int blocks = k / 32;
            long row = (long) i * blocks * 34;
            float sum = 0.0f;
            for (int b = 0; b < blocks; b++) {
                long blk = row + (long) b * 34;
                float d = w.getHalf(blk);
                float part = 0.0f;
                for (int j = 0; j < 32; j++) {
                    part += w.get(blk + 2 + j) * x.get(b * 32 + j);
                }
                sum += d * part;
            }
            y.set(i, sum);
        }
    }

    /** w: n rows of k/32 Q4_0 blocks (18 bytes each). */
    @Kernel(jvm = "matVecQ4_0Vec")
    public static void matVecQ4_0(ByteArray w, FloatArray x, FloatArray y, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            int blocks = k / 32;
            long row = (long) i * blocks * 18;
            float sum = 0.0f;
            for (int b = 0; b < blocks; b++) {
                long blk = row + (long) b * 18;
                float d = w.getHalf(blk);
                float part = 0.0f;
                for (int j = 0; j < 16; j++) {
                    int q = w.get(blk + 2 + j) & 0xFF;
                    part += ((q & 0x0F) - 8) * x.get(b * 32 + j);
                    part += ((q >> 4) - 8) * x.get(b * 32 + 16 + j);
                }
                sum += d * part;
            }
            y.set(i, sum);
        }
    }

    static void matVecF32Vec(FloatArray w, FloatArray x, FloatArray y, int n, int k, int from, int to) {
        for (int i = from; i < to; i++) {
            y.set(i, Vectors.dot(w.segment(), (long) i * k, x.segment(), 0, k));
        }
    }

    static void matVecF16Vec(HalfArray w, FloatArray x, FloatArray y, int n, int k, int from, int to) {
        float[] row = new float[k];
        for (int i = from; i < to; i++) {
            Vectors.decodeF16(w.segment(), (long) i * k, k, row);
            y.set(i, Vectors.dot(row, x.segment(), 0, k));
        }
    }

    static void matVecBF16Vec(BFloat16Array w, FloatArray x, FloatArray y, int n, int k, int from, int to) {
        float[] row = new float[k];
        for (int i = from; i < to; i++) {
            Vectors.decodeBF16(w.segment(), (long) i * k, k, row);
            y.set(i, Vectors.dot(row, x.segment(), 0, k));
        }
    }

    static void matVecQ8_0Vec(ByteArray w, FloatArray x, FloatArray y, int n, int k, int from, int to) {
        long rowBytes = Quant.q8_0RowBytes(k);
        float[] row = Vectors.QUANT_OK ? null : new float[k];
        for (int i = from; i < to; i++) {
            if (row == null) {
                y.set(i, Vectors.dotQ8_0(w.segment(), i * rowBytes, x.segment(), k));
            } else {
                Vectors.decodeQ8_0(w.segment(), i * rowBytes, k, row);
                y.set(i, Vectors.dot(row, x.segment(), 0, k));
            }
        }
    }

    static void matVecQ4_0Vec(ByteArray w, FloatArray x, FloatArray y, int n, int k, int from, int to) {
        long rowBytes = Quant.q4_0RowBytes(k);
        float[] row = Vectors.QUANT_OK ? null : new float[k];
        for (int i = from; i < to; i++) {
            if (row == null) {
                y.set(i, Vectors.dotQ4_0(w.segment(), i * rowBytes, x.segment(), k));
            } else {
                Vectors.decodeQ4_0(w.segment(), i * rowBytes, k, row);
                y.set(i, Vectors.dot(row, x.segment(), 0, k));
            }
        }
    }
}
