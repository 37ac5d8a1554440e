package io.tessera.tasks.bench;

import java.util.SplittableRandom;

import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.kernels.Quant;

/** Seeded benchmark data: weights of each type, larger than the last-level cache. */
final class Workloads {
    /** Rows and columns of the benchmark matrices: 8192 x 4096 (32 Mi weights). */
    static final int ROWS = 8192;
    static final int COLS = 4096;

    private Workloads() {
    }

    static FloatArray floats(long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = FloatArray.allocate(n);
        for (long i = 0; i < n; i++) {
            a.set(i, (float) (r.nextDouble() * 2 - 1));
        }
        return a;
    }

    static HalfArray halves(long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        HalfArray a = HalfArray.allocate(n);
        for (long i = 0; i < n; i++) {
            a.set(i, (float) (r.nextDouble() * 2 - 1));
        }
        return a;
    }

    /** Random blocks: each block's two scale bytes hold a small positive half, the rest random bytes. */
    static ByteArray blocks(long rows, int cols, int blockBytes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long blocks = rows * (cols / Quant.BLOCK);
        ByteArray a = ByteArray.allocate(blocks * blockBytes);
        short scale = Float.floatToFloat16(0.01f);
        for (long b = 0; b < blocks; b++) {
            long at = b * blockBytes;
            a.set(at, (byte) scale);
            a.set(at + 1, (byte) (scale >> 8));
            for (int i = 2; i < blockBytes; i++) {
                a.set(at + i, (byte) r.nextInt(256));
            }
        }
        return a;
    }
}
