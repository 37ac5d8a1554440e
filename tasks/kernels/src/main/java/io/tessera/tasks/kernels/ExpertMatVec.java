package io.tessera.tasks.kernels;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/**
 * Matrix-vector products with the chosen experts of a mixture-of-experts layer (ggml
 * {@code mul_mat_id}), one kernel per weight type: y[s] = W[ids[s]] x[s / group] for every slot
 * s &lt; slots. A slot is one (token, chosen expert) pair, token-major as {@link Route#topK}
 * writes them, so one token's decode has slots = used and a prefill tile tokens * used.
 * {@code group} is how many consecutive slots share an input row: {@code used} for the gate and up
 * projections (every expert of a token reads the token's row), 1 for the down projection (each
 * slot reads its own activation).
 *
 * <p>W: the experts' matrices stacked, [experts][n][k] (ggml {@code [k, n, experts]}, as GGUF
 * stores {@code ffn_gate_exps}/{@code ffn_up_exps}/{@code ffn_down_exps}); only the rows of the
 * experts named in {@code ids} are read. x: [slots / group][k]; ids: [slots]; y: [slots][n].
 * Sums run in float in element order within a row, per block then scaled by d for Q8_0/Q4_0
 * (whose k is a multiple of 32), exactly as {@link MatVec} does for one matrix.
 */
public final class ExpertMatVec {
    private ExpertMatVec() {
    }

    @Kernel(jvm = "matVecExpertsF32Vec")
    public static void matVecExpertsF32(FloatArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                        int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int s = 0; s < slots; s++) {
                long row = ((long) ids.get(s) * n + i) * k;
                long xrow = (long) (s / group) * k;
                float sum = 0.0f;
                for (int j = 0; j < k; j++) {
                    sum += w.get(row + j) * x.get(xrow + j);
                }
                y.set((long) s * n + i, sum);
            }
        }
    }

    @Kernel(jvm = "matVecExpertsF16Vec")
    public static void matVecExpertsF16(HalfArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                        int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int s = 0; s < slots; s++) {
                long row = ((long) ids.get(s) * n + i) * k;
                long xrow = (long) (s / group) * k;
                float sum = 0.0f;
                for (int j = 0; j < k; j++) {
                    sum += w.get(row + j) * x.get(xrow + j);
                }
                y.set((long) s * n + i, sum);
            }
        }
    }

    @Kernel(jvm = "matVecExpertsBF16Vec")
    public static void matVecExpertsBF16(BFloat16Array w, FloatArray x, IntArray ids, FloatArray y, int slots,
                                         int group, int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int s = 0; s < slots; s++) {
                long row = ((long) ids.get(s) * n + i) * k;
                long xrow = (long) (s / group) * k;
                float sum = 0.0f;
                for (int j = 0; j < k; j++) {
                    sum += w.get(row + j) * x.get(xrow + j);
                }
                y.set((long) s * n + i, sum);
            }
        }
    }

    /** w: experts * n rows of k/32 Q8_0 blocks (34 bytes each). */
    @Kernel(jvm = "matVecExpertsQ8_0Vec")
    public static void matVecExpertsQ8_0(ByteArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                         int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int s = 0; s < slots; s++) {
                int blocks = k / 32;
                long row = ((long) ids.get(s) * n + i) * blocks * 34;
                long xrow = (long) (s / group) * k;
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
                y.set((long) s * n + i, sum);
            }
        }
    }

    /** w: experts * n rows of k/32 Q4_0 blocks (18 bytes each). */
    @Kernel(jvm = "matVecExpertsQ4_0Vec")
    public static void matVecExpertsQ4_0(ByteArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                         int n, int k) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int s = 0; s < slots; s++) {
                int blocks = k / 32;
                long row = ((long) ids.get(s) * n + i) * blocks * 18;
                long xrow = (long) (s / group) * k;
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
                y.set((long) s * n + i, sum);
            }
        }
    }

    static void matVecExpertsF32Vec(FloatArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                    int n, int k, int from, int to) {
        for (int i = from; i < to; i++) {
            for (int s = 0; s < slots; s++) {
                long row = ((long) ids.get(s) * n + i) * k;
                y.set((long) s * n + i, Vectors.dot(w.segment(), row, x.segment(), (long) (s / group) * k, k));
            }
        }
    }

    static void matVecExpertsF16Vec(HalfArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                    int n, int k, int from, int to) {
        float[] row = new float[k];
        for (int i = from; i < to; i++) {
            for (int s = 0; s < slots; s++) {
                Vectors.decodeF16(w.segment(), ((long) ids.get(s) * n + i) * k, k, row);
                y.set((long) s * n + i, Vectors.dot(row, x.segment(), (long) (s / group) * k, k));
            }
        }
    }

    static void matVecExpertsBF16Vec(BFloat16Array w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                     int n, int k, int from, int to) {
        float[] row = new float[k];
        for (int i = from; i < to; i++) {
            for (int s = 0; s < slots; s++) {
                Vectors.decodeBF16(w.segment(), ((long) ids.get(s) * n + i) * k, k, row);
                y.set((long) s * n + i, Vectors.dot(row, x.segment(), (long) (s / group) * k, k));
            }
        }
    }

    static void matVecExpertsQ8_0Vec(ByteArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                     int n, int k, int from, int to) {
        long rowBytes = Quant.q8_0RowBytes(k);
        float[] row = new float[k];
        for (int i = from; i < to; i++) {
            for (int s = 0; s < slots; s++) {
                Vectors.decodeQ8_0(w.segment(), ((long) ids.get(s) * n + i) * rowBytes, k, row);
                y.set((long) s * n + i, Vectors.dot(row, x.segment(), (long) (s / group) * k, k));
            }
        }
    }

    static void matVecExpertsQ4_0Vec(ByteArray w, FloatArray x, IntArray ids, FloatArray y, int slots, int group,
                                     int n, int k, int from, int to) {
        long rowBytes = Quant.q4_0RowBytes(k);
        float[] row = new float[k];
        for (int i = from; i < to; i++) {
            for (int s = 0; s < slots; s++) {
                Vectors.decodeQ4_0(w.segment(), ((long) ids.get(s) * n + i) * rowBytes, k, row);
                y.set((long) s * n + i, Vectors.dot(row, x.segment(), (long) (s / group) * k, k));
            }
        }
    }
}
