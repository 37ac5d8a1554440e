package io.tessera.tasks.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** bfloat16 values (the upper half of a binary32), read and written as floats. */
public final class BFloat16Array extends TypedArray {
    private static final ValueLayout.OfShort LAYOUT = ValueLayout.JAVA_SHORT_UNALIGNED;

    public BFloat16Array(MemorySegment segment) {
        super(segment, 2);
    }

    /** A zero-filled array of {@code length} elements in {@code arena}. */
    public static BFloat16Array allocate(Arena arena, long length) {
        return new BFloat16Array(allocate(arena, length, 2));
    }

    /** A zero-filled array in the automatic (garbage-collected) arena. */
    public static BFloat16Array allocate(long length) {
        return allocate(Arena.ofAuto(), length);
    }

    public float get(long index) {
        return Float.intBitsToFloat((segment.get(LAYOUT, index * 2) & 0xFFFF) << 16);
    }

    public void set(long index, float value) {
        segment.set(LAYOUT, index * 2, toBFloat16(value));
    }

    @Override
    public int elementBytes() {
        return 2;
    }

    @Override
    public ElementType elementType() {
        return ElementType.BF16;
    }

    /** Rounds to nearest even, as PyTorch and ggml do; NaN stays NaN. */
    public static short toBFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
