package io.tessera.tasks.runtime.opencl;

import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.kernel.KernelModel;
import io.tessera.tasks.runtime.kernel.OpenClProgramSource;
import java.util.List;

/**
 * A task's kernel ready on one OpenCL device.
 *
 * @param arguments what to bind to each OpenCL kernel argument, in order
 */
record ClPrepared(ClProgram program, KernelModel model, List<OpenClProgramSource.Argument> arguments, long compileNanos)
        implements PreparedKernel {
}
