package io.tessera.tasks.kernels.selftest;

import java.util.SplittableRandom;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.kernels.Quant;

/** Seeded random inputs for kernel cases: floats, halves, quantised blocks, indices. */
public final class CaseInputs {
    private final SplittableRandom random;

    public CaseInputs(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform values in [-1, 1). */
    public FloatArray f32(long length) {
        FloatArray a = FloatArray.allocate(length);
        for (long i = 0; i < length; i++) {
            a.set(i, (float) (random.nextDouble() * 2 - 1));
        }
        return a;
    }

    /** Uniform values in [lo, hi). */
    public FloatArray f32(long length, double lo, double hi) {
        FloatArray a = FloatArray.allocate(length);
        for (long i = 0; i < length; i++) {
            a.set(i, (float) (lo + random.nextDouble() * (hi - lo)));
        }
        return a;
    }

    /** An output buffer, filled with a value no kernel produces so that unwritten elements show. */
    public FloatArray out(long length) {
        FloatArray a = FloatArray.allocate(length);
        a.fill(-12345.0f);
        return a;
    }

    public IntArray intOut(long length) {
        IntArray a = IntArray.allocate(length);
        for (long i = 0; i < length; i++) {
            a.set(i, -12345);
        }
        return a;
    }

    public HalfArray f16(long length) {
        HalfArray a = HalfArray.allocate(length);
        for (long i = 0; i < length; i++) {
            a.set(i, (float) (random.nextDouble() * 2 - 1));
        }
        return a;
    }

    public BFloat16Array bf16(long length) {
        BFloat16Array a = BFloat16Array.allocate(length);
        for (long i = 0; i < length; i++) {
            a.set(i, (float) (random.nextDouble() * 2 - 1));
        }
        return a;
    }

    /** {@code rows} rows of {@code k} values in GGUF Q8_0 blocks: random scales and quants. */
    public ByteArray q8_0(long rows, int k) {
        long blocks = rows * (k / Quant.BLOCK);
        ByteArray a = ByteArray.allocate(blocks * Quant.Q8_0_BYTES);
        for (long b = 0; b < blocks; b++) {
            long at = b * Quant.Q8_0_BYTES;
            half(a, at, 0.002 + random.nextDouble() * 0.01);
            for (int i = 0; i < Quant.BLOCK; i++) {
                a.set(at + 2 + i, (byte) (random.nextInt(255) - 127));
            }
        }
        return a;
    }

    /** {@code rows} rows of {@code k} values in GGUF Q4_0 blocks: random scales and nibbles. */
    public ByteArray q4_0(long rows, int k) {
        long blocks = rows * (k / Quant.BLOCK);
        ByteArray a = ByteArray.allocate(blocks * Quant.Q4_0_BYTES);
        for (long b = 0; b < blocks; b++) {
            long at = b * Quant.Q4_0_BYTES;
            half(a, at, 0.01 + random.nextDouble() * 0.05);
            for (int i = 0; i < Quant.BLOCK / 2; i++) {
                a.set(at + 2 + i, (byte) random.nextInt(256));
            }
        }
        return a;
    }

    /** Values in [0, bound). */
    public IntArray ints(long length, int bound) {
        IntArray a = IntArray.allocate(length);
        for (long i = 0; i < length; i++) {
            a.set(i, random.nextInt(bound));
        }
        return a;
    }

    /** 0, 1, 2, ... plus {@code start}. */
    public IntArray sequence(long length, int start) {
        IntArray a = IntArray.allocate(length);
        for (long i = 0; i < length; i++) {
            a.set(i, (int) (start + i));
        }
        return a;
    }

    private static void half(ByteArray a, long at, double value) {
        short bits = Float.floatToFloat16((float) value);
        a.set(at, (byte) bits);
        a.set(at + 1, (byte) (bits >> 8));
    }
}
