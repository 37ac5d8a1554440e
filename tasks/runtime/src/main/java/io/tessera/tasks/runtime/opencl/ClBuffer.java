package io.tessera.tasks.runtime.opencl;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import org.lwjgl.opencl.CL10;

/**
 * A cl_mem for one typed array. {@code zeroCopy} buffers were created with CL_MEM_USE_HOST_PTR
 * over the array's own memory; the others are device allocations filled by explicit copies.
 */
public record ClBuffer(TypedArray array, String device, long mem, long bytes, boolean zeroCopy)
        implements DeviceBuffer {
    @Override
    public void release() {
        CL10.clReleaseMemObject(mem);
    }
}
