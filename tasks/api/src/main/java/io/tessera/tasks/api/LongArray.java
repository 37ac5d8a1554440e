package io.tessera.tasks.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** 64-bit signed integers. */
public final class LongArray extends TypedArray {
    private static final ValueLayout.OfLong LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED;

    public LongArray(MemorySegment segment) {
        super(segment, 8);
    }

    /** A zero-filled array of {@code length} elements in {@code arena}. */
    public static LongArray allocate(Arena arena, long length) {
        return new LongArray(allocate(arena, length, 8));
    }

    /** A zero-filled array in the automatic (garbage-collected) arena. */
    public static LongArray allocate(long length) {
        return allocate(Arena.ofAuto(), length);
    }

    public long get(long index) {
        return segment.get(LAYOUT, index * 8);
    }

    public void set(long index, long value) {
        segment.set(LAYOUT, index * 8, value);
    }

    @Override
    public int elementBytes() {
        return 8;
    }

    @Override
    public ElementType elementType() {
        return ElementType.I64;
    }
}
