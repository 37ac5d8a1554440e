package io.tessera.tasks.runtime.jvm;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.runtime.backend.DeviceBuffer;

/** On the JVM the device memory is the host array itself. */
public record JvmBuffer(TypedArray array) implements DeviceBuffer {
    @Override
    public String device() {
        return "jvm";
    }

    @Override
    public boolean zeroCopy() {
        return true;
    }

    @Override
    public void release() {
        // the array belongs to its arena, not to the device
    }
}
