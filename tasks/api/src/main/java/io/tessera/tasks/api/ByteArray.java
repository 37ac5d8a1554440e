package io.tessera.tasks.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Raw bytes; quantised weight blocks are read through the little-endian accessors. */
public final class ByteArray extends TypedArray {
    private static final ValueLayout.OfByte LAYOUT = ValueLayout.JAVA_BYTE;

    public ByteArray(MemorySegment segment) {
        super(segment, 1);
    }

    /** A zero-filled array of {@code length} elements in {@code arena}. */
    public static ByteArray allocate(Arena arena, long length) {
        return new ByteArray(allocate(arena, length, 1));
    }

    /** A zero-filled array in the automatic (garbage-collected) arena. */
    public static ByteArray allocate(long length) {
        return allocate(Arena.ofAuto(), length);
    }

    public byte get(long index) {
        return segment.get(LAYOUT, index);
    }

    public void set(long index, byte value) {
        segment.set(LAYOUT, index, value);
    }

    @Override
    public int elementBytes() {
        return 1;
    }

    @Override
    public ElementType elementType() {
        return ElementType.I8;
    }

    /** The little-endian 16-bit value at byte offset {@code byteOffset}. */
    public short getShort(long byteOffset) {
        return segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, byteOffset);
    }

    /** The binary16 value at byte offset {@code byteOffset}, widened to float. */
    public float getHalf(long byteOffset) {
        return Float.float16ToFloat(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, byteOffset));
    }

    /** The little-endian 32-bit value at byte offset {@code byteOffset}. */
    public int getInt(long byteOffset) {
        return segment.get(ValueLayout.JAVA_INT_UNALIGNED, byteOffset);
    }

    public static ByteArray of(byte... values) {
        ByteArray a = allocate(values.length);
        MemorySegment.copy(values, 0, a.segment, ValueLayout.JAVA_BYTE, 0, values.length);
        return a;
    }
}
