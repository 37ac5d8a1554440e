package io.tessera.tasks.runtime.opencl;

import static org.lwjgl.opencl.CL10.clSetKernelArg1d;
import static org.lwjgl.opencl.CL10.clSetKernelArg1f;
import static org.lwjgl.opencl.CL10.clSetKernelArg1i;
import static org.lwjgl.opencl.CL10.clSetKernelArg1l;
import static org.lwjgl.opencl.CL10.clSetKernelArg1p;

import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import io.tessera.tasks.runtime.device.ClErrors;
import io.tessera.tasks.runtime.kernel.OpenClProgramSource.Argument;
import java.util.List;

/**
 * Binds a task's arguments to its OpenCL kernel as the program's argument list says: arrays as
 * their cl_mem, scalars by value (boolean as int, since OpenCL kernels cannot take bool
 * arguments), array lengths as long.
 */
final class ClArguments {
    private ClArguments() {
    }

    static void bind(TaskSpec task, ClPrepared prepared, List<DeviceBuffer> buffers, String device) {
        long kernel = prepared.program().kernel();
        List<Argument> arguments = prepared.arguments();
        for (int arg = 0; arg < arguments.size(); arg++) {
            Argument argument = arguments.get(arg);
            int param = argument.parameter();
            Object value = task.arguments().get(param);
            int status = switch (argument) {
                case Argument.Length l when value instanceof TypedArray a -> clSetKernelArg1l(kernel, arg, a.length());
                case Argument.Length l -> throw unsupported(task, device, param, value);
                case Argument.Value v -> switch (value) {
                    case TypedArray a -> clSetKernelArg1p(kernel, arg, ((ClBuffer) buffers.get(param)).mem());
                    case Integer i -> clSetKernelArg1i(kernel, arg, i);
                    case Long l -> clSetKernelArg1l(kernel, arg, l);
                    case Float f -> clSetKernelArg1f(kernel, arg, f);
                    case Double d -> clSetKernelArg1d(kernel, arg, d);
                    case Boolean b -> clSetKernelArg1i(kernel, arg, b ? 1 : 0);
                    default -> throw unsupported(task, device, param, value);
                };
            };
            if (status != 0) {
                throw new TaskExecutionException(task.qualifiedName(), device, "task " + task.qualifiedName()
                        + ": setting OpenCL argument " + arg + " (" + argument + ", Java parameter "
                        + task.kernel().getParameters()[param].getName() + ") failed: " + ClErrors.name(status)
                        + "; the program's kernel signature does not match the Java method");
            }
        }
    }

    private static TaskExecutionException unsupported(TaskSpec task, String device, int param, Object value) {
        return new TaskExecutionException(task.qualifiedName(), device, "task " + task.qualifiedName() + ": argument "
                + param + " of type " + value.getClass().getName() + " cannot be bound to this OpenCL argument");
    }
}
