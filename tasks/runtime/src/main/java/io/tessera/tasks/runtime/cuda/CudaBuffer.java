package io.tessera.tasks.runtime.cuda;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.runtime.backend.DeviceBuffer;

/** Device memory ({@code cuMemAlloc}) for one typed array; never the host's memory. */
record CudaBuffer(TypedArray array, String device, long pointer, CudaBackend owner) implements DeviceBuffer {
    @Override
    public boolean zeroCopy() {
        return false;
    }

    @Override
    public void release() {
        owner.free(pointer);
    }
}
