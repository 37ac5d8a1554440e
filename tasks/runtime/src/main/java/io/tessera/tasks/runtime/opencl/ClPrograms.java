package io.tessera.tasks.runtime.opencl;

import static org.lwjgl.opencl.CL10.*;

import io.tessera.tasks.api.KernelCompilationException;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.runtime.device.ClErrors;
import io.tessera.tasks.runtime.spirv.LlvmSpirv;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.opencl.CL21;
import org.lwjgl.opencl.KHRILProgram;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * Builds device code for one OpenCL device and keeps each program, keyed by its code (one per
 * specialisation): OpenCL C from source, SPIR-V through {@code clCreateProgramWithIL} (OpenCL 2.1,
 * or {@code cl_khr_il_program} before it), or SPIR-V translated to a SPIR 1.2 binary.
 */
final class ClPrograms {
    /** The build options {@code cl_khr_spir} defines for SPIR 1.2 binaries. */
    static final String SPIR_12_OPTIONS = "-x spir -spir-std=1.2";

    private final long context;
    private final long device;
    private final String selector;
    private final boolean coreIl;
    private final LlvmSpirv translator;
    private final Map<String, ClProgram> cache = new HashMap<>();

    /**
     * @param coreIl     the device is OpenCL 2.1+, so {@code clCreateProgramWithIL} is core
     * @param translator the SPIR-V to SPIR 1.2 translator, or null when SPIR-V is not translated
     */
    ClPrograms(long context, long device, String selector, boolean coreIl, LlvmSpirv translator) {
        this.context = context;
        this.device = device;
        this.selector = selector;
        this.coreIl = coreIl;
        this.translator = translator;
    }

    synchronized boolean cached(ClCode code) {
        return cache.containsKey(code.cacheKey());
    }

    synchronized ClProgram get(TaskSpec task, String location, ClCode code) {
        ClProgram program = cache.get(code.cacheKey());
        if (program == null) {
            program = build(task, location, code);
            cache.put(code.cacheKey(), program);
        }
        return program;
    }

    synchronized int size() {
        return cache.size();
    }

    private ClProgram build(TaskSpec task, String location, ClCode code) {
        String what = "kernel " + task.kernelName() + (location == null ? "" : " (" + location + ")") + " of task "
                + task.qualifiedName();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer status = stack.mallocInt(1);
            long program = create(task, what, code, status);
            int built = clBuildProgram(program, device, code instanceof ClCode.Spirv s && s.viaSpir12()
                    ? SPIR_12_OPTIONS : "", null, 0);
            if (built != CL_SUCCESS) {
                String log = buildLog(program);
                clReleaseProgram(program);
                throw new KernelCompilationException(task.qualifiedName(), selector, what + " failed to build for "
                        + selector + ": " + ClErrors.name(built), log);
            }
            long kernel = clCreateKernel(program, code.kernelName(), status);
            if (status.get(0) != CL_SUCCESS) {
                clReleaseProgram(program);
                throw new KernelCompilationException(task.qualifiedName(), selector, "program of task "
                        + task.qualifiedName() + " has no kernel " + code.kernelName() + ": "
                        + ClErrors.name(status.get(0)), null);
            }
            return new ClProgram(program, kernel, code.kernelName());
        }
    }

    private long create(TaskSpec task, String what, ClCode code, IntBuffer status) {
        long program = switch (code) {
            case ClCode.Source s -> clCreateProgramWithSource(context, s.source().source(), status);
            case ClCode.Spirv s when !s.viaSpir12() -> withIl(s.kernel().binary(), status);
            case ClCode.Spirv s -> withBinary(task, what, s.kernel().binary(), status);
        };
        if (status.get(0) != CL_SUCCESS) {
            if (program != 0) {
                clReleaseProgram(program);
            }
            throw new KernelCompilationException(task.qualifiedName(), selector, what + ": " + selector
                    + " rejected its " + (code instanceof ClCode.Source ? "OpenCL C" : "SPIR-V") + ": "
                    + ClErrors.name(status.get(0)), null);
        }
        return program;
    }

    private long withIl(byte[] spirv, IntBuffer status) {
        ByteBuffer il = MemoryUtil.memAlloc(spirv.length);
        try {
            il.put(0, spirv);
            return coreIl ? CL21.clCreateProgramWithIL(context, il, status)
                    : KHRILProgram.clCreateProgramWithILKHR(context, il, status);
        } finally {
            MemoryUtil.memFree(il);
        }
    }

    private long withBinary(TaskSpec task, String what, byte[] spirv, IntBuffer status) {
        if (translator == null) {
            throw new IllegalStateException(selector + " has no SPIR-V translator");
        }
        byte[] bitcode;
        try {
            bitcode = translator.toSpir12(spirv);
        } catch (LlvmSpirv.TranslationException e) {
            throw new KernelCompilationException(task.qualifiedName(), selector, what + ": " + e.getMessage()
                    + " translating its SPIR-V to SPIR 1.2 for " + selector, e.output());
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            ByteBuffer binary = MemoryUtil.memAlloc(bitcode.length);
            try {
                binary.put(0, bitcode);
                PointerBuffer lengths = stack.pointers(bitcode.length);
                PointerBuffer binaries = stack.pointers(binary);
                IntBuffer binaryStatus = stack.mallocInt(1);
                long program = clCreateProgramWithBinary(context, stack.pointers(device), lengths, binaries,
                        binaryStatus, status);
                if (status.get(0) == CL_SUCCESS && binaryStatus.get(0) != CL_SUCCESS) {
                    status.put(0, binaryStatus.get(0));
                }
                return program;
            } finally {
                MemoryUtil.memFree(binary);
            }
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
