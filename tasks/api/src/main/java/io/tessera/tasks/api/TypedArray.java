package io.tessera.tasks.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A typed, header-less view over a {@link MemorySegment}: kernels read and write it through
 * {@code get}/{@code set}, back ends bind its segment as a device buffer. Lengths are {@code long}.
 * Element order is little-endian, as in GGUF and safetensors files, so views onto memory-mapped
 * weights need no copy.
 */
public abstract sealed class TypedArray
        permits FloatArray, HalfArray, BFloat16Array, ByteArray, IntArray, LongArray {

    protected final MemorySegment segment;
    private final long length;

    protected TypedArray(MemorySegment segment, int elementBytes) {
        this.segment = Objects.requireNonNull(segment, "segment");
        if (segment.byteSize() % elementBytes != 0) {
            throw new IllegalArgumentException("segment of " + segment.byteSize()
                    + " bytes is not a whole number of " + elementBytes + "-byte elements");
        }
        this.length = segment.byteSize() / elementBytes;
    }

    /** Number of elements. */
    public final long length() {
        return length;
    }

    public final MemorySegment segment() {
        return segment;
    }

    public final long byteSize() {
        return segment.byteSize();
    }

    /** Bytes per element (1 for {@link ByteArray}). */
    public abstract int elementBytes();

    /** Element type as the kernel IR names it. */
    public abstract ElementType elementType();

    protected static MemorySegment allocate(Arena arena, long length, int elementBytes) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return arena.allocate(Math.multiplyExact(length, (long) elementBytes), ALIGNMENT);
    }

    /**
     * Byte alignment of arrays this class allocates: OpenCL's largest common base-address alignment
     * (PoCL asks for 1024 bits), so CPU devices can use host memory without a copy.
     */
    public static final long ALIGNMENT = 128;

    /** Element types of typed arrays, as the kernel IR and the back ends name them. */
    public enum ElementType {
        F32(4), F16(2), BF16(2), I8(1), I32(4), I64(8);

        private final int bytes;

        ElementType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + length + "]";
    }
}
