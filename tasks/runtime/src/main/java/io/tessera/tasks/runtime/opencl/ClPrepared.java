package io.tessera.tasks.runtime.opencl;

import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.kernel.KernelModel;
import java.util.List;

/**
 * A task's kernel ready on one OpenCL device.
 *
 * @param boundParameters the Java parameter index of each OpenCL kernel argument, in order (the
 *                        KernelContext and folded constants are not arguments)
 */
record ClPrepared(ClProgram program, KernelModel model, List<Integer> boundParameters, long compileNanos)
        implements PreparedKernel {
}
