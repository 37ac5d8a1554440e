package io.tessera.tasks.runtime.opencl;

import static org.lwjgl.opencl.CL10.*;

import io.tessera.tasks.api.KernelCompilationException;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.runtime.device.OpenClException;
import io.tessera.tasks.runtime.kernel.OpenClProgramSource;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/** Builds OpenCL C for one device and keeps each program, keyed by its source (one per specialisation). */
final class ClPrograms {
    private final long context;
    private final long device;
    private final String selector;
    private final Map<String, ClProgram> cache = new HashMap<>();

    ClPrograms(long context, long device, String selector) {
        this.context = context;
        this.device = device;
        this.selector = selector;
    }

    synchronized boolean cached(OpenClProgramSource source) {
        return cache.containsKey(source.source());
    }

    synchronized ClProgram get(TaskSpec task, String location, OpenClProgramSource source) {
        ClProgram program = cache.get(source.source());
        if (program == null) {
            program = build(task, location, source);
            cache.put(source.source(), program);
        }
        return program;
    }

    synchronized int size() {
        return cache.size();
    }

    private ClProgram build(TaskSpec task, String location, OpenClProgramSource source) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer status = stack.mallocInt(1);
            long program = clCreateProgramWithSource(context, source.source(), status);
            OpenClException.check("clCreateProgramWithSource", status.get(0));
            int built = clBuildProgram(program, device, "", null, 0);
            if (built != CL_SUCCESS) {
                String log = buildLog(program);
                clReleaseProgram(program);
                throw new KernelCompilationException(task.qualifiedName(), selector, "kernel " + task.kernelName()
                        + (location == null ? "" : " (" + location + ")") + " of task " + task.qualifiedName()
                        + " failed to build for " + selector + ": " + io.tessera.tasks.runtime.device.ClErrors.name(built),
                        log);
            }
            long kernel = clCreateKernel(program, source.kernelName(), status);
            if (status.get(0) != CL_SUCCESS) {
                clReleaseProgram(program);
                throw new KernelCompilationException(task.qualifiedName(), selector, "program of task "
                        + task.qualifiedName() + " has no kernel " + source.kernelName() + ": "
                        + io.tessera.tasks.runtime.device.ClErrors.name(status.get(0)), null);
            }
            return new ClProgram(program, kernel, source.kernelName());
        }
    }

    private String buildLog(long program) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, (ByteBuffer) null, size) != CL_SUCCESS) {
                return "";
            }
            ByteBuffer log = MemoryUtil.memAlloc((int) Math.max(1, size.get(0)));
            try {
                clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log, null);
                byte[] bytes = new byte[(int) Math.max(0, size.get(0) - 1)];
                log.get(0, bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            } finally {
                MemoryUtil.memFree(log);
            }
        }
    }
}
