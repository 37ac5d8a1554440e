package io.tessera.tasks.compiler.opencl;

import static org.lwjgl.opencl.CL10.*;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.compiler.opencl.OpenClSource.KernelArgument;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.BufferUtils;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

/**
 * The first OpenCL device of the machine (PoCL on our machines), for building emitted programs and
 * running them on typed arrays. {@link #open()} returns null, with {@link #unavailable()} saying
 * why, when there is none.
 */
final class OpenClDevice implements AutoCloseable {
    private static String unavailable = "not probed";

    private final long device;
    private final long context;
    private final long queue;
    private final String name;

    private OpenClDevice(long device, long context, long queue, String name) {
        this.device = device;
        this.context = context;
        this.queue = queue;
        this.name = name;
    }

    static String unavailable() {
        return unavailable;
    }

    static OpenClDevice open() {
        // The ICD loader is installed as libOpenCL.so.1; the unversioned name comes only with -dev packages.
        if (Configuration.OPENCL_LIBRARY_NAME.get() == null && System.getProperty("os.name").startsWith("Linux")) {
            Configuration.OPENCL_LIBRARY_NAME.set("libOpenCL.so.1");
        }
        try {
            return probe();
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            unavailable = "no OpenCL library: " + e;
            return null;
        }
    }

    private static OpenClDevice probe() {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            if (clGetPlatformIDs(null, count) != CL_SUCCESS || count.get(0) == 0) {
                unavailable = "no OpenCL platform";
                return null;
            }
            PointerBuffer platforms = stack.mallocPointer(count.get(0));
            clGetPlatformIDs(platforms, (IntBuffer) null);
            for (int p = 0; p < platforms.capacity(); p++) {
                IntBuffer devices = stack.mallocInt(1);
                if (clGetDeviceIDs(platforms.get(p), CL_DEVICE_TYPE_ALL, null, devices) != CL_SUCCESS || devices.get(0) == 0) {
                    continue;
                }
                PointerBuffer ids = stack.mallocPointer(1);
                clGetDeviceIDs(platforms.get(p), CL_DEVICE_TYPE_ALL, ids, (IntBuffer) null);
                long device = ids.get(0);
                IntBuffer err = stack.mallocInt(1);
                PointerBuffer props = stack.mallocPointer(3).put(CL_CONTEXT_PLATFORM).put(platforms.get(p)).put(0).flip();
                long context = clCreateContext(props, device, null, 0, err);
                check(err.get(0), "clCreateContext");
                long queue = clCreateCommandQueue(context, device, 0, err);
                check(err.get(0), "clCreateCommandQueue");
                return new OpenClDevice(device, context, queue, info(device, CL_DEVICE_NAME));
            }
            unavailable = "no OpenCL device on " + platforms.capacity() + " platform(s)";
            return null;
        }
    }

    String name() {
        return name;
    }

    boolean supportsDoubles() {
        return info(device, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64");
    }

    private static String info(long device, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            clGetDeviceInfo(device, param, (ByteBuffer) null, size);
            ByteBuffer value = stack.malloc((int) size.get(0));
            clGetDeviceInfo(device, param, value, null);
            byte[] bytes = new byte[value.remaining() - 1];
            value.get(bytes);
            return new String(bytes);
        }
    }

    private static void check(int code, String call) {
        if (code != CL_SUCCESS) {
            throw new IllegalStateException(call + " failed with OpenCL error " + code);
        }
    }

    /** Builds {@code program}; throws with the compiler's log if it does not build. */
    long build(OpenClSource program) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long handle = clCreateProgramWithSource(context, program.source(), err);
            check(err.get(0), "clCreateProgramWithSource");
            int status = clBuildProgram(handle, device, "-cl-fp32-correctly-rounded-divide-sqrt", null, 0);
            if (status != CL_SUCCESS) {
                PointerBuffer size = stack.mallocPointer(1);
                clGetProgramBuildInfo(handle, device, CL_PROGRAM_BUILD_LOG, (ByteBuffer) null, size);
                ByteBuffer log = BufferUtils.createByteBuffer((int) size.get(0));
                clGetProgramBuildInfo(handle, device, CL_PROGRAM_BUILD_LOG, log, null);
                byte[] bytes = new byte[log.remaining()];
                log.get(bytes);
                clReleaseProgram(handle);
                throw new IllegalStateException("OpenCL build failed (" + status + "):\n" + new String(bytes)
                        + "\n--- source ---\n" + program.source());
            }
            return handle;
        }
    }

    /**
     * Runs {@code program} over {@code global} work-items ({@code local} per group, or null) on the
     * Java arguments {@code args}; typed arrays are copied to the device and back.
     */
    void run(OpenClSource program, Object[] args, long[] global, long[] local) {
        long handle = build(program);
        List<Long> buffers = new ArrayList<>();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long kernel = clCreateKernel(handle, program.kernelName(), err);
            check(err.get(0), "clCreateKernel");
            int index = 0;
            List<Runnable> readBacks = new ArrayList<>();
            for (KernelArgument argument : program.arguments()) {
                Object value = args[argument.parameter()];
                int at = index++;
                switch (argument) {
                    case KernelArgument.Length l -> check(clSetKernelArg1l(kernel, at, ((TypedArray) value).length()), "length");
                    case KernelArgument.Value v -> {
                        switch (value) {
                            case TypedArray a -> {
                                ByteBuffer host = a.segment().asByteBuffer();
                                long buffer = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, host, err);
                                check(err.get(0), "clCreateBuffer");
                                buffers.add(buffer);
                                check(clSetKernelArg1p(kernel, at, buffer), "buffer argument " + v.name());
                                readBacks.add(() -> check(clEnqueueReadBuffer(queue, buffer, true, 0, host, null, null),
                                        "clEnqueueReadBuffer"));
                            }
                            case Integer i -> check(clSetKernelArg1i(kernel, at, i), v.name());
                            case Long l -> check(clSetKernelArg1l(kernel, at, l), v.name());
                            case Float f -> check(clSetKernelArg1f(kernel, at, f), v.name());
                            case Double d -> check(clSetKernelArg1d(kernel, at, d), v.name());
                            case Boolean b -> check(clSetKernelArg1i(kernel, at, b ? 1 : 0), v.name());
                            default -> throw new IllegalArgumentException("argument " + v.name() + ": " + value);
                        }
                    }
                }
            }
            PointerBuffer globalSize = stack.mallocPointer(global.length).put(global).flip();
            PointerBuffer localSize = local == null ? null : stack.mallocPointer(local.length).put(local).flip();
            check(clEnqueueNDRangeKernel(queue, kernel, global.length, null, globalSize, localSize, null, null),
                    "clEnqueueNDRangeKernel");
            check(clFinish(queue), "clFinish");
            readBacks.forEach(Runnable::run);
            clReleaseKernel(kernel);
        } finally {
            buffers.forEach(b -> clReleaseMemObject(b));
            clReleaseProgram(handle);
        }
    }

    @Override
    public void close() {
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
