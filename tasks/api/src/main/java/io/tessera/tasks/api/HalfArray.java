package io.tessera.tasks.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** IEEE 754 binary16 values, read and written as floats. */
public final class HalfArray extends TypedArray {
    private static final ValueLayout.OfShort LAYOUT = ValueLayout.JAVA_SHORT_UNALIGNED;

    public HalfArray(MemorySegment segment) {
        super(segment, 2);
    }

    /** A zero-filled array of {@code length} elements in {@code arena}. */
    public static HalfArray allocate(Arena arena, long length) {
        return new HalfArray(allocate(arena, length, 2));
    }

    /** A zero-filled array in the automatic (garbage-collected) arena. */
    public static HalfArray allocate(long length) {
        return allocate(Arena.ofAuto(), length);
    }

    public float get(long index) {
        return Float.float16ToFloat(segment.get(LAYOUT, index * 2));
    }

    public void set(long index, float value) {
        segment.set(LAYOUT, index * 2, Float.floatToFloat16(value));
    }

    @Override
    public int elementBytes() {
        return 2;
    }

    @Override
    public ElementType elementType() {
        return ElementType.F16;
    }

    /** The raw binary16 bits of element {@code index}. */
    public short getBits(long index) {
        return segment.get(LAYOUT, index * 2);
    }
}
