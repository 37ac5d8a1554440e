package io.tessera.tasks.kernels;

/**
 * GGUF block layouts of the quantised weight types read by the matrix kernels. Rows of {@code k}
 * elements are contiguous, {@code k / 32} blocks per row; everything is little-endian.
 *
 * <pre>
 *   Q8_0  34 bytes: f16 d, int8 q[32]                      value[j] = d * q[j]
 *   Q4_0  18 bytes: f16 d, uint8 qs[16]                    value[j]      = d * ((qs[j] &amp; 0xF) - 8)
 *                                                          value[j + 16] = d * ((qs[j] &gt;&gt; 4) - 8)
 * </pre>
 *
 * (ggml {@code block_q8_0} / {@code block_q4_0}.) Kernel bodies spell these numbers as literals,
 * so that they stay within the kernel subset.
 */
public final class Quant {
    /** Elements per block. */
    public static final int BLOCK = 32;
    /** Bytes per Q8_0 block. */
    public static final int Q8_0_BYTES = 34;
    /** Bytes per Q4_0 block. */
    public static final int Q4_0_BYTES = 18;

    private Quant() {
    }

    /** Bytes of one Q8_0 row of {@code k} elements. */
    public static long q8_0RowBytes(int k) {
        return (long) checkedBlocks(k) * Q8_0_BYTES;
    }

    /** Bytes of one Q4_0 row of {@code k} elements. */
    public static long q4_0RowBytes(int k) {
        return (long) checkedBlocks(k) * Q4_0_BYTES;
    }

    private static int checkedBlocks(int k) {
        if (k <= 0 || k % BLOCK != 0) {
            throw new IllegalArgumentException("row length " + k + " is not a positive multiple of " + BLOCK);
        }
        return k / BLOCK;
    }
}
