package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/**
 * Writes into a KV cache and reads rows out of activation tiles at positions held in an
 * {@link IntArray}, so that a task graph built once runs at every position (its scalar arguments
 * are fixed when the graph is built; the positions array is copied in before each execution).
 */
public final class KvCache {
    private KvCache() {
    }

    /**
     * cache[positions[t]][j] = src[t][j]: the keys (or values) of a tile stored at their positions.
     * src: [tokens][kvDim]; positions: [tokens]; cache: [&gt; max(positions)][kvDim].
     * Replaces one {@link Elementwise#copy} per token.
     */
    @Kernel
    public static void store(FloatArray src, IntArray positions, FloatArray cache, int tokens, int kvDim) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int j = 0; j < kvDim; j++) {
                cache.set((long) positions.get(t) * kvDim + j, src.get((long) t * kvDim + j));
            }
        }
    }

    /**
     * dst[j] = src[row[0]][j]: one row of a tile, e.g. the hidden state of a prompt's last token.
     * src: [&gt; row[0]][dim]; row: [1]; dst: [dim].
     */
    @Kernel
    public static void gatherRow(FloatArray src, IntArray row, FloatArray dst, int dim) {
        for (@Parallel int j = 0; j < dim; j++) {
            dst.set(j, src.get((long) row.get(0) * dim + j));
        }
    }
}
