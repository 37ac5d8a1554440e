package io.tessera.tasks.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** 32-bit signed integers. */
public final class IntArray extends TypedArray {
    private static final ValueLayout.OfInt LAYOUT = ValueLayout.JAVA_INT_UNALIGNED;

    public IntArray(MemorySegment segment) {
        super(segment, 4);
    }

    /** A zero-filled array of {@code length} elements in {@code arena}. */
    public static IntArray allocate(Arena arena, long length) {
        return new IntArray(allocate(arena, length, 4));
    }

    /** A zero-filled array in the automatic (garbage-collected) arena. */
    public static IntArray allocate(long length) {
        return allocate(Arena.ofAuto(), length);
    }

    public int get(long index) {
        return segment.get(LAYOUT, index * 4);
    }

    public void set(long index, int value) {
        segment.set(LAYOUT, index * 4, value);
    }

    @Override
    public int elementBytes() {
        return 4;
    }

    @Override
    public ElementType elementType() {
        return ElementType.I32;
    }

    public static IntArray of(int... values) {
        IntArray a = allocate(values.length);
        MemorySegment.copy(values, 0, a.segment, ValueLayout.JAVA_INT_UNALIGNED, 0, values.length);
        return a;
    }

    public int[] toArray() {
        return segment.toArray(ValueLayout.JAVA_INT_UNALIGNED);
    }
}
