package io.tessera.tasks.compiler.testkernels;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/** Kernels over reduced-precision and byte storage. */
public final class QuantKernels {
    /** Q8_0 (ggml): blocks of 32 int8 weights after one binary16 scale, 34 bytes a block. */
    public static final int Q8_0_BLOCK = 32;
    public static final int Q8_0_BYTES = 34;

    private QuantKernels() {
    }

    /** out[r] = sum over the row's blocks of scale * dot(q, x). */
    @Kernel
    public static void matVecQ8_0(ByteArray w, FloatArray x, FloatArray out, int rows, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            int blocks = cols / Q8_0_BLOCK;
            float sum = 0f;
            for (int b = 0; b < blocks; b++) {
                long base = ((long) r * blocks + b) * Q8_0_BYTES;
                float scale = w.getHalf(base);
                float dot = 0f;
                for (int k = 0; k < Q8_0_BLOCK; k++) {
                    dot += w.get(base + 2 + k) * x.get((long) b * Q8_0_BLOCK + k);
                }
                sum += scale * dot;
            }
            out.set(r, sum);
        }
    }

    /** Little-endian reads at odd byte offsets, nibbles and narrowing casts. */
    @Kernel
    public static void byteReads(ByteArray bytes, IntArray out) {
        for (@Parallel int i = 0; i < out.length(); i++) {
            long at = i * 7L;
            int lo = bytes.get(at) & 0x0F;
            int hi = (bytes.get(at) >> 4) & 0x0F;
            short sh = bytes.getShort(at + 1);
            int word = bytes.getInt(at + 3);
            byte narrow = (byte) (word + sh);
            out.set(i, lo - hi + sh * 3 + (word >>> 5) + narrow + (sh >>> 20));
        }
    }

    /** F16 and BF16 storage, read and written as floats, and the binary16 bit conversions. */
    @Kernel
    public static void halfPrecision(HalfArray h, BFloat16Array bf, FloatArray out, HalfArray hOut, BFloat16Array bfOut) {
        for (@Parallel int i = 0; i < h.length(); i++) {
            float a = h.get(i);
            float b = bf.get(i);
            short bits = Float.floatToFloat16(a * 0.5f + b);
            out.set(i, a * b + Float.float16ToFloat(bits));
            hOut.set(i, a + b * 1.25f);
            bfOut.set(i, a - b * 3.0f);
        }
    }

    /** Float bit patterns: exponent extraction, sign flips, NaN tests. */
    @Kernel
    public static void floatBits(FloatArray in, IntArray exponents, FloatArray flipped) {
        for (@Parallel int i = 0; i < in.length(); i++) {
            float v = in.get(i);
            int raw = Float.floatToRawIntBits(v);
            exponents.set(i, Float.isNaN(v) ? -1 : (raw >>> 23) & 0xFF);
            flipped.set(i, Float.intBitsToFloat(raw ^ 0x80000000));
        }
    }
}
