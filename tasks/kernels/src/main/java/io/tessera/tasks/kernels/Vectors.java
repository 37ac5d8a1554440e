package io.tessera.tasks.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API building blocks shared by the JVM forms of the hot kernels: dot products over
 * memory segments, half/bfloat16 widening, and decoding of quantised rows into a float buffer.
 * Only the JVM forms use this class; kernel bodies never do.
 */
final class Vectors {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Ints with the lane count of {@link #F}: the widening target of 16-bit values. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Shorts with the lane count of {@link #F} (half the bit size). */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    /**
     * Bytes read per load when decoding quantised blocks: at least 64 bits (the smallest shape),
     * so one load may feed {@link #BYTE_PARTS} float vectors.
     */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    static final int BYTE_PARTS = B.length() / L;
    /**
     * Whether the vector block decoders apply: a Q4_0 half-block (16 bytes) must be a whole number of
     * byte loads. True for 128-, 256- and 512-bit vectors; wider vectors decode blocks with
     * scalar code.
     */
    static final boolean QUANT_OK = B.length() <= 16 && 16 % B.length() == 0;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private Vectors() {
    }

    /** sum over j < len of a[aOff + j] * b[bOff + j]; offsets in floats. */
    static float dot(MemorySegment a, long aOff, MemorySegment b, long bOff, int len) {
        long ab = aOff * 4;
        long bb = bOff * 4;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int j = 0;
        int step = 4 * L;
        for (; j + step <= len; j += step) {
            long o = (long) j * 4;
            acc0 = FloatVector.fromMemorySegment(F, a, ab + o, LE)
                    .fma(FloatVector.fromMemorySegment(F, b, bb + o, LE), acc0);
            acc1 = FloatVector.fromMemorySegment(F, a, ab + o + 4L * L, LE)
                    .fma(FloatVector.fromMemorySegment(F, b, bb + o + 4L * L, LE), acc1);
            acc2 = FloatVector.fromMemorySegment(F, a, ab + o + 8L * L, LE)
                    .fma(FloatVector.fromMemorySegment(F, b, bb + o + 8L * L, LE), acc2);
            acc3 = FloatVector.fromMemorySegment(F, a, ab + o + 12L * L, LE)
                    .fma(FloatVector.fromMemorySegment(F, b, bb + o + 12L * L, LE), acc3);
        }
        for (; j + L <= len; j += L) {
            long o = (long) j * 4;
            acc0 = FloatVector.fromMemorySegment(F, a, ab + o, LE)
                    .fma(FloatVector.fromMemorySegment(F, b, bb + o, LE), acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            sum += a.get(FLOAT, ab + (long) j * 4) * b.get(FLOAT, bb + (long) j * 4);
        }
        return sum;
    }

    /** sum over j < len of w[j] * x[xOff + j], with w a heap buffer. */
    static float dot(float[] w, MemorySegment x, long xOff, int len) {
        long xb = xOff * 4;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 * L <= len; j += 2 * L) {
            long o = xb + (long) j * 4;
            acc0 = FloatVector.fromArray(F, w, j).fma(FloatVector.fromMemorySegment(F, x, o, LE), acc0);
            acc1 = FloatVector.fromArray(F, w, j + L).fma(FloatVector.fromMemorySegment(F, x, o + 4L * L, LE), acc1);
        }
        for (; j + L <= len; j += L) {
            acc0 = FloatVector.fromArray(F, w, j).fma(FloatVector.fromMemorySegment(F, x, xb + (long) j * 4, LE), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            sum += w[j] * x.get(FLOAT, xb + (long) j * 4);
        }
        return sum;
    }

    /** sum over j < len of a[aOff + j]^2. */
    static float sumSquares(MemorySegment a, long aOff, int len) {
        long ab = aOff * 4;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 * L <= len; j += 2 * L) {
            FloatVector v0 = FloatVector.fromMemorySegment(F, a, ab + (long) j * 4, LE);
            FloatVector v1 = FloatVector.fromMemorySegment(F, a, ab + (long) (j + L) * 4, LE);
            acc0 = v0.fma(v0, acc0);
            acc1 = v1.fma(v1, acc1);
        }
        for (; j + L <= len; j += L) {
            FloatVector v = FloatVector.fromMemorySegment(F, a, ab + (long) j * 4, LE);
            acc0 = v.fma(v, acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            float v = a.get(FLOAT, ab + (long) j * 4);
            sum += v * v;
        }
        return sum;
    }

    /**
     * Widens {@link #L} binary16 values to floats without a table: the exponent and mantissa are
     * shifted into place and rescaled by 2^112 (which also turns subnormal halves into the right
     * normal floats), infinities and NaNs get the all-ones float exponent, and the sign is or-ed
     * back. Bit-exact with {@link Float#float16ToFloat} for every non-NaN value; NaNs stay NaNs.
     */
    static FloatVector halfToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0);
        IntVector magnitude = bits.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        IntVector result = finite.blend(shifted.or(0x70000000), special);
        return result.or(bits.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** Widens {@link #L} bfloat16 values: they are the upper halves of binary32 values. */
    static FloatVector bfloat16ToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0);
        return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** out[0..k) = the binary16 row that starts at element {@code off} of {@code w}. */
    static void decodeF16(MemorySegment w, long off, int k, float[] out) {
        long base = off * 2;
        int j = 0;
        for (; j + L <= k; j += L) {
            halfToFloat(ShortVector.fromMemorySegment(S, w, base + (long) j * 2, LE)).intoArray(out, j);
        }
        for (; j < k; j++) {
            out[j] = Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, base + (long) j * 2));
        }
    }

    /** out[0..k) = the bfloat16 row that starts at element {@code off} of {@code w}. */
    static void decodeBF16(MemorySegment w, long off, int k, float[] out) {
        long base = off * 2;
        int j = 0;
        for (; j + L <= k; j += L) {
            bfloat16ToFloat(ShortVector.fromMemorySegment(S, w, base + (long) j * 2, LE)).intoArray(out, j);
        }
        for (; j < k; j++) {
            out[j] = Float.intBitsToFloat((w.get(ValueLayout.JAVA_SHORT_UNALIGNED, base + (long) j * 2) & 0xFFFF) << 16);
        }
    }

    /** out[0..k) = the f32 row that starts at element {@code off} of {@code w}. */
    static void decodeF32(MemorySegment w, long off, int k, float[] out) {
        MemorySegment.copy(w, FLOAT, off * 4, out, 0, k);
    }

    /** out[0..k) = the dequantised Q8_0 row at byte offset {@code byteOff} (k a multiple of 32). */
    static void decodeQ8_0(MemorySegment w, long byteOff, int k, float[] out) {
        int blocks = k / Quant.BLOCK;
        if (!QUANT_OK) {
            for (int b = 0; b < blocks; b++) {
                long blk = byteOff + (long) b * Quant.Q8_0_BYTES;
                float d = Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk));
                for (int j = 0; j < Quant.BLOCK; j++) {
                    out[b * Quant.BLOCK + j] = d * w.get(ValueLayout.JAVA_BYTE, blk + 2 + j);
                }
            }
            return;
        }
        for (int b = 0; b < blocks; b++) {
            long blk = byteOff + (long) b * Quant.Q8_0_BYTES;
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk)));
            for (int j = 0; j < Quant.BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, blk + 2 + j, LE);
                for (int p = 0; p < BYTE_PARTS; p++) {
                    ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).mul(d)
                            .intoArray(out, b * Quant.BLOCK + j + p * L);
                }
            }
        }
    }

    /** out[0..k) = the dequantised Q4_0 row at byte offset {@code byteOff} (k a multiple of 32). */
    static void decodeQ4_0(MemorySegment w, long byteOff, int k, float[] out) {
        int blocks = k / Quant.BLOCK;
        if (!QUANT_OK) {
            for (int b = 0; b < blocks; b++) {
                long blk = byteOff + (long) b * Quant.Q4_0_BYTES;
                float d = Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk));
                for (int j = 0; j < Quant.BLOCK / 2; j++) {
                    int q = w.get(ValueLayout.JAVA_BYTE, blk + 2 + j) & 0xFF;
                    out[b * Quant.BLOCK + j] = d * ((q & 0x0F) - 8);
                    out[b * Quant.BLOCK + j + Quant.BLOCK / 2] = d * ((q >> 4) - 8);
                }
            }
            return;
        }
        for (int b = 0; b < blocks; b++) {
            long blk = byteOff + (long) b * Quant.Q4_0_BYTES;
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk)));
            for (int j = 0; j < Quant.BLOCK / 2; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, blk + 2 + j, LE);
                ByteVector lo = q.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).sub((byte) 8);
                for (int p = 0; p < BYTE_PARTS; p++) {
                    int e = b * Quant.BLOCK + j + p * L;
                    ((FloatVector) lo.convertShape(VectorOperators.B2F, F, p)).mul(d).intoArray(out, e);
                    ((FloatVector) hi.convertShape(VectorOperators.B2F, F, p)).mul(d).intoArray(out, e + Quant.BLOCK / 2);
                }
            }
        }
    }

    /** Dot product of one Q8_0 row (at byte offset {@code byteOff}) with x[0..k). */
    static float dotQ8_0(MemorySegment w, long byteOff, MemorySegment x, int k) {
        int blocks = k / Quant.BLOCK;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long blk = byteOff + (long) b * Quant.Q8_0_BYTES;
            float d = Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk));
            long xb = (long) b * Quant.BLOCK * 4;
            FloatVector block = FloatVector.zero(F);
            for (int j = 0; j < Quant.BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, blk + 2 + j, LE);
                for (int p = 0; p < BYTE_PARTS; p++) {
                    FloatVector xv = FloatVector.fromMemorySegment(F, x, xb + (long) (j + p * L) * 4, LE);
                    block = ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).fma(xv, block);
                }
            }
            acc = block.fma(FloatVector.broadcast(F, d), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Dot product of one Q4_0 row (at byte offset {@code byteOff}) with x[0..k). */
    static float dotQ4_0(MemorySegment w, long byteOff, MemorySegment x, int k) {
        int blocks = k / Quant.BLOCK;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long blk = byteOff + (long) b * Quant.Q4_0_BYTES;
            float d = Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk));
            long xb = (long) b * Quant.BLOCK * 4;
            FloatVector block = FloatVector.zero(F);
            for (int j = 0; j < Quant.BLOCK / 2; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, blk + 2 + j, LE);
                ByteVector lo = q.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).sub((byte) 8);
                for (int p = 0; p < BYTE_PARTS; p++) {
                    long e = xb + (long) (j + p * L) * 4;
                    FloatVector xlo = FloatVector.fromMemorySegment(F, x, e, LE);
                    FloatVector xhi = FloatVector.fromMemorySegment(F, x, e + Quant.BLOCK / 2 * 4, LE);
                    block = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, p)).fma(xlo, block);
                    block = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, p)).fma(xhi, block);
                }
            }
            acc = block.fma(FloatVector.broadcast(F, d), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * out[r] = sum over j < len of w[j] * x[xOff + r * stride + j] for r in 0..3: four tokens
     * against one decoded weight row, each weight vector loaded once.
     */
    static void dot4(float[] w, MemorySegment x, long xOff, long stride, int len, float[] out) {
        long x0 = xOff * 4;
        long x1 = x0 + stride * 4;
        long x2 = x1 + stride * 4;
        long x3 = x2 + stride * 4;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int j = 0;
        for (; j + L <= len; j += L) {
            FloatVector wv = FloatVector.fromArray(F, w, j);
            long o = (long) j * 4;
            acc0 = wv.fma(FloatVector.fromMemorySegment(F, x, x0 + o, LE), acc0);
            acc1 = wv.fma(FloatVector.fromMemorySegment(F, x, x1 + o, LE), acc1);
            acc2 = wv.fma(FloatVector.fromMemorySegment(F, x, x2 + o, LE), acc2);
            acc3 = wv.fma(FloatVector.fromMemorySegment(F, x, x3 + o, LE), acc3);
        }
        float s0 = acc0.reduceLanes(VectorOperators.ADD);
        float s1 = acc1.reduceLanes(VectorOperators.ADD);
        float s2 = acc2.reduceLanes(VectorOperators.ADD);
        float s3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            long o = (long) j * 4;
            s0 += w[j] * x.get(FLOAT, x0 + o);
            s1 += w[j] * x.get(FLOAT, x1 + o);
            s2 += w[j] * x.get(FLOAT, x2 + o);
            s3 += w[j] * x.get(FLOAT, x3 + o);
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }
}
