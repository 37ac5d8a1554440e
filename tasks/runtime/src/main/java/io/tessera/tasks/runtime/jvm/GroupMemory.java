package io.tessera.tasks.runtime.jvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The local memory of one work-group: the k-th local array a work-item allocates is the group's
 * k-th array, so every item of the group sees the same one.
 */
final class GroupMemory {
    private final List<Object> arrays = new ArrayList<>();

    synchronized float[] floats(int index, int length) {
        return (float[]) get(index, length, true);
    }

    synchronized int[] ints(int index, int length) {
        return (int[]) get(index, length, false);
    }

    private Object get(int index, int length, boolean floats) {
        if (index < arrays.size()) {
            Object a = arrays.get(index);
            if ((floats ? a instanceof float[] f && f.length == length : a instanceof int[] i && i.length == length)) {
                return a;
            }
            throw new IllegalStateException("work-items of one group allocate different local arrays (allocation "
                    + index + "); local arrays must be allocated at the top of the kernel with constant sizes");
        }
        Object a = floats ? new float[length] : new int[length];
        arrays.add(a);
        return a;
    }
}
