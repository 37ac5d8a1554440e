package io.tessera.tasks.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** 32-bit floats. */
public final class FloatArray extends TypedArray {
    private static final ValueLayout.OfFloat LAYOUT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public FloatArray(MemorySegment segment) {
        super(segment, 4);
    }

    /** A zero-filled array of {@code length} elements in {@code arena}. */
    public static FloatArray allocate(Arena arena, long length) {
        return new FloatArray(allocate(arena, length, 4));
    }

    /** A zero-filled array in the automatic (garbage-collected) arena. */
    public static FloatArray allocate(long length) {
        return allocate(Arena.ofAuto(), length);
    }

    public float get(long index) {
        return segment.get(LAYOUT, index * 4);
    }

    public void set(long index, float value) {
        segment.set(LAYOUT, index * 4, value);
    }

    @Override
    public int elementBytes() {
        return 4;
    }

    @Override
    public ElementType elementType() {
        return ElementType.F32;
    }

    public static FloatArray of(float... values) {
        FloatArray a = allocate(values.length);
        MemorySegment.copy(values, 0, a.segment, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length);
        return a;
    }

    public float[] toArray() {
        return segment.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
    }

    public void fill(float value) {
        for (long i = 0; i < length(); i++) {
            set(i, value);
        }
    }
}
