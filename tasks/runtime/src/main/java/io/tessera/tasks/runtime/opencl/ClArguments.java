package io.tessera.tasks.runtime.opencl;

import static org.lwjgl.opencl.CL10.clSetKernelArg1d;
import static org.lwjgl.opencl.CL10.clSetKernelArg1f;
import static org.lwjgl.opencl.CL10.clSetKernelArg1i;
import static org.lwjgl.opencl.CL10.clSetKernelArg1l;
import static org.lwjgl.opencl.CL10.clSetKernelArg1p;

import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import io.tessera.tasks.runtime.device.ClErrors;
import java.util.List;

/**
 * Binds a task's arguments to its OpenCL kernel: parameters in Java order minus the KernelContext
 * and folded constants; arrays as their cl_mem, scalars by value (boolean as int, since OpenCL
 * kernels cannot take bool arguments).
 */
final class ClArguments {
    private ClArguments() {
    }

    static void bind(TaskSpec task, ClPrepared prepared, List<DeviceBuffer> buffers, String device) {
        long kernel = prepared.program().kernel();
        List<Integer> bound = prepared.boundParameters();
        for (int arg = 0; arg < bound.size(); arg++) {
            int param = bound.get(arg);
            Object value = task.arguments().get(param);
            int status = switch (value) {
                case io.tessera.tasks.api.TypedArray a -> clSetKernelArg1p(kernel, arg, ((ClBuffer) buffers.get(param)).mem());
                case Integer i -> clSetKernelArg1i(kernel, arg, i);
                case Long l -> clSetKernelArg1l(kernel, arg, l);
                case Float f -> clSetKernelArg1f(kernel, arg, f);
                case Double d -> clSetKernelArg1d(kernel, arg, d);
                case Boolean b -> clSetKernelArg1i(kernel, arg, b ? 1 : 0);
                default -> throw new TaskExecutionException(task.qualifiedName(), device, "task "
                        + task.qualifiedName() + ": argument " + param + " of type " + value.getClass().getName()
                        + " cannot be passed to an OpenCL kernel");
            };
            if (status != 0) {
                throw new TaskExecutionException(task.qualifiedName(), device, "task " + task.qualifiedName()
                        + ": setting OpenCL argument " + arg + " (Java parameter " + param + ", "
                        + task.kernel().getParameters()[param].getName() + ") failed: " + ClErrors.name(status)
                        + "; the program's kernel signature does not match the Java method");
            }
        }
    }
}
