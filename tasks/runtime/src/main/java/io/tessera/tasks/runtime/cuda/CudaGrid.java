package io.tessera.tasks.runtime.cuda;

import java.util.Arrays;

/**
 * The shape of one CUDA launch: blocks in the grid and threads per block, in x, y, z.
 *
 * <p>Loop-parallel kernels get blocks of 256 threads (1-D), 32 x 8 (2-D) or 16 x 8 x 4 (3-D), and
 * enough blocks to cover each dimension's iterations, capped (32 blocks per multiprocessor in x,
 * 65535 in y and z) since the grid-stride loops cover the rest. A given global size (a WorkerGrid,
 * as OpenCL's ND-range) is kept exactly, because explicit kernels see it: blocks are its local size,
 * or, when the device may choose, the largest divisors of the global size that fit 256 threads.
 */
public record CudaGrid(int[] blocks, int[] threads) {
    /** Threads per block when the runtime chooses. */
    public static final int DEFAULT_BLOCK = 256;
    private static final int[][] SHAPES = {{256}, {32, 8}, {16, 8, 4}};
    private static final long[] MAX_BLOCKS = {Integer.MAX_VALUE, 65535, 65535};

    /** For the parallel iteration counts of a loop-parallel kernel; null when a dimension has none. */
    public static CudaGrid forIterations(long[] iterations, int multiprocessors) {
        int[] blocks = {1, 1, 1};
        int[] threads = {1, 1, 1};
        if (iterations.length > 0) {
            int[] shape = SHAPES[iterations.length - 1];
            for (int d = 0; d < iterations.length; d++) {
                if (iterations[d] <= 0) {
                    return null;
                }
                threads[d] = shape[d];
                long cap = d == 0 ? 32L * Math.max(1, multiprocessors) : MAX_BLOCKS[d];
                blocks[d] = (int) Math.min(cap, (iterations[d] + shape[d] - 1) / shape[d]);
            }
        }
        return new CudaGrid(blocks, threads);
    }

    /**
     * For a global size and an optional local size (null, or 0 in each dimension, when the device
     * chooses). Throws {@link IllegalArgumentException} with the reason when the device cannot run it.
     */
    public static CudaGrid forGlobal(long[] global, long[] local, int maxThreadsPerBlock) {
        int[] blocks = {1, 1, 1};
        int[] threads = {1, 1, 1};
        long room = Math.min(DEFAULT_BLOCK, maxThreadsPerBlock);
        for (int d = 0; d < global.length; d++) {
            long l = local == null || local[d] == 0 ? largestDivisor(global[d], room) : local[d];
            if (l <= 0 || global[d] % l != 0) {
                throw new IllegalArgumentException("global size " + global[d] + " in dimension " + d
                        + " is not a multiple of the local size " + l);
            }
            room = Math.max(1, room / l);
            long n = global[d] / l;
            if (n > MAX_BLOCKS[d]) {
                throw new IllegalArgumentException("global size " + global[d] + " in dimension " + d + " needs " + n
                        + " blocks of " + l + ", more than CUDA's " + MAX_BLOCKS[d]);
            }
            threads[d] = (int) l;
            blocks[d] = (int) n;
        }
        long perBlock = (long) threads[0] * threads[1] * threads[2];
        if (perBlock > maxThreadsPerBlock) {
            throw new IllegalArgumentException("a local size of " + perBlock + " threads exceeds the device's "
                    + maxThreadsPerBlock + " threads per block");
        }
        return new CudaGrid(blocks, threads);
    }

    private static long largestDivisor(long n, long atMost) {
        for (long d = Math.min(n, atMost); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    @Override
    public String toString() {
        return "grid " + Arrays.toString(blocks) + " blocks of " + Arrays.toString(threads) + " threads";
    }
}
