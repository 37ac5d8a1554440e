package io.tessera.tasks.runtime.opencl;

import static org.lwjgl.opencl.CL10.*;

import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskProfile;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.runtime.device.ClErrors;
import java.nio.LongBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;

/** Enqueues one kernel, waits for it, and reads its event's profiling timestamps. */
final class ClLaunch {
    private ClLaunch() {
    }

    static TaskProfile run(long queue, long kernel, TaskSpec task, ClGrid grid, String device) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            int dims = grid.global().length;
            PointerBuffer global = stack.mallocPointer(dims);
            PointerBuffer local = grid.local() == null ? null : stack.mallocPointer(dims);
            for (int d = 0; d < dims; d++) {
                global.put(d, grid.global()[d]);
                if (local != null) {
                    local.put(d, grid.local()[d]);
                }
            }
            PointerBuffer event = stack.mallocPointer(1);
            long hostStart = System.nanoTime();
            int status = clEnqueueNDRangeKernel(queue, kernel, dims, null, global, local, null, event);
            if (status != CL_SUCCESS) {
                throw new TaskExecutionException(task.qualifiedName(), device, "task " + task.qualifiedName()
                        + " (kernel " + task.kernelName() + ") could not be launched on " + device + ": "
                        + ClErrors.name(status) + " (" + grid + ")");
            }
            long e = event.get(0);
            try {
                int waited = clWaitForEvents(e);
                if (waited != CL_SUCCESS) {
                    throw new TaskExecutionException(task.qualifiedName(), device, "task " + task.qualifiedName()
                            + " (kernel " + task.kernelName() + ") failed on " + device + ": " + ClErrors.name(waited));
                }
                long hostEnd = System.nanoTime();
                long queued = time(e, CL_PROFILING_COMMAND_QUEUED, stack);
                long submit = time(e, CL_PROFILING_COMMAND_SUBMIT, stack);
                long start = time(e, CL_PROFILING_COMMAND_START, stack);
                long end = time(e, CL_PROFILING_COMMAND_END, stack);
                // a device clock never reads 0 at enqueue: such drivers give no usable times
                if (queued <= 0 || submit < queued || start < submit || end < start) {
                    return new TaskProfile(task.qualifiedName(), device, hostStart, hostStart, hostStart, hostEnd, false);
                }
                return new TaskProfile(task.qualifiedName(), device, queued, submit, start, end, true);
            } finally {
                clReleaseEvent(e);
            }
        }
    }

    private static long time(long event, int what, MemoryStack stack) {
        LongBuffer value = stack.mallocLong(1);
        int status = clGetEventProfilingInfo(event, what, value, null);
        return status == CL_SUCCESS ? value.get(0) : -1;
    }
}
