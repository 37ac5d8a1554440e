package io.tessera.tasks.kernels;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/**
 * Token embedding lookup, one kernel per table type: out[t] = scale * table[tokens[t]].
 * table: [vocab][dim]; tokens: [count]; out: [count][dim]. Gemma multiplies text embeddings by
 * sqrt(hidden) (HF first rounds that factor to the weight type, e.g. 55.5 in bfloat16 for 3072;
 * the caller passes the factor it wants) and image soft tokens by nothing ({@code scale = 1}).
 * Q8_0/Q4_0 tables need {@code dim} to be a multiple of 32 (see {@link Quant}).
 */
public final class Embedding {
    private Embedding() {
    }

    @Kernel
    public static void embedF32(FloatArray table, IntArray tokens, FloatArray out, int count, int dim, float scale) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < dim; j++) {
                out.set((long) t * dim + j, scale * table.get((long) tokens.get(t) * dim + j));
            }
        }
    }

    @Kernel
    public static void embedF16(HalfArray table, IntArray tokens, FloatArray out, int count, int dim, float scale) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < dim; j++) {
                out.set((long) t * dim + j, scale * table.get((long) tokens.get(t) * dim + j));
            }
        }
    }

    @Kernel
    public static void embedBF16(BFloat16Array table, IntArray tokens, FloatArray out, int count, int dim,
                                 float scale) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < dim; j++) {
                out.set((long) t * dim + j, scale * table.get((long) tokens.get(t) * dim + j));
            }
        }
    }

    /** table: vocab rows of dim/32 Q8_0 blocks (34 bytes each). */
    @Kernel
    public static void embedQ8_0(ByteArray table, IntArray tokens, FloatArray out, int count, int dim, float scale) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < dim; j++) {
                long blk = (long) tokens.get(t) * (dim / 32) * 34 + (long) (j / 32) * 34;
                out.set((long) t * dim + j, scale * (table.getHalf(blk) * table.get(blk + 2 + j % 32)));
            }
        }
    }

    /** table: vocab rows of dim/32 Q4_0 blocks (18 bytes each). */
    @Kernel
    public static void embedQ4_0(ByteArray table, IntArray tokens, FloatArray out, int count, int dim, float scale) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < dim; j++) {
                long blk = (long) tokens.get(t) * (dim / 32) * 18 + (long) (j / 32) * 18;
                int e = j % 32;
                int q = table.get(blk + 2 + e % 16) & 0xFF;
                int nibble = e < 16 ? q & 0x0F : q >> 4;
                out.set((long) t * dim + j, scale * (table.getHalf(blk) * (nibble - 8)));
            }
        }
    }

    /**
     * out[r] = x[r] + table[column] + table[tableRows + row]: the factorised 2-D position embedding
     * of a vision grid (Gemma 4; llama.cpp {@code gemma4v.cpp}), one lookup table per axis. Rows are
     * the patches of consecutive images of {@code perImage} patches each, row-major over
     * {@code columns} columns. x, out: [rows][dim]; table: [2][tableRows][dim] (x table, then y).
     */
    @Kernel
    public static void addGridPositions(FloatArray x, FloatArray table, FloatArray out, int rows, int dim,
                                        int perImage, int columns, int tableRows) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int j = 0; j < dim; j++) {
                int patch = r % perImage;
                long idx = (long) r * dim + j;
                long col = (long) (patch % columns) * dim + j;
                long row = ((long) tableRows + patch / columns) * dim + j;
                out.set(idx, x.get(idx) + table.get(col) + table.get(row));
            }
        }
    }
}
