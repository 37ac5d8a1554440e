package io.tessera.tasks.compiler.spirv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lwjgl.opencl.CL10.*;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.LongArray;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.compiler.ptx.ExternalTool;
import io.tessera.tasks.compiler.ptx.KernelSignature;
import io.tessera.tasks.compiler.ptx.TestKernels;
import io.tessera.tasks.compiler.ptx.TestKernels.TestKernel;
import io.tessera.tasks.compiler.spirv.SpirvEmitter.SpirvKernel;
import io.tessera.tasks.compiler.testkernels.KernelCase;
import io.tessera.tasks.compiler.testkernels.KernelCases;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lwjgl.BufferUtils;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

/**
 * The semantics of our SPIR-V, checked on this machine's CPU: each module is translated back to
 * LLVM bitcode by the Khronos translator ({@code llvm-spirv -r}, OpenCL 1.2 built-ins), loaded into
 * PoCL as a SPIR 1.2 binary ({@code clCreateProgramWithBinary}, built with {@code -x spir}; this
 * PoCL build has no {@code clCreateProgramWithIL}), run, and compared with the plain Java reference.
 * Parallel kernels run on a grid smaller than their iteration space, so the grid-stride loops are
 * exercised.
 */
class SpirvPoclRoundTripTest {
    private static final Path LLVM_SPIRV = ExternalTool.find("llvm-spirv-15") != null
            ? ExternalTool.find("llvm-spirv-15") : ExternalTool.find("llvm-spirv");
    private static long device;
    private static long context;
    private static long queue;
    private static String noPocl;

    @TempDir
    Path dir;

    @BeforeAll
    static void openPocl() {
        // the ICD loader is installed as libOpenCL.so.1; the unversioned name only comes with -dev packages
        if (Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libOpenCL.so.1"))
                && !Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libOpenCL.so"))) {
            Configuration.OPENCL_LIBRARY_NAME.set("libOpenCL.so.1");
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            if (clGetPlatformIDs(null, count) != CL_SUCCESS || count.get(0) == 0) {
                noPocl = "no OpenCL platform";
                return;
            }
            PointerBuffer platforms = stack.mallocPointer(count.get(0));
            clGetPlatformIDs(platforms, (IntBuffer) null);
            for (int i = 0; i < platforms.capacity(); i++) {
                if (info(platforms.get(i)).contains("Portable Computing Language")) {
                    PointerBuffer devices = stack.mallocPointer(1);
                    if (clGetDeviceIDs(platforms.get(i), CL_DEVICE_TYPE_ALL, devices, (IntBuffer) null) != CL_SUCCESS) {
                        continue;
                    }
                    device = devices.get(0);
                    IntBuffer err = stack.mallocInt(1);
                    context = clCreateContext((PointerBuffer) null, device, null, 0, err);
                    check(err.get(0), "clCreateContext");
                    queue = clCreateCommandQueue(context, device, 0, err);
                    check(err.get(0), "clCreateCommandQueue");
                    return;
                }
            }
            noPocl = "PoCL is not among the OpenCL platforms";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            noPocl = "OpenCL is not loadable: " + e.getMessage();
        }
    }

    @AfterAll
    static void closePocl() {
        if (queue != 0) {
            clReleaseCommandQueue(queue);
        }
        if (context != 0) {
            clReleaseContext(context);
        }
    }

    private static String info(long platform) {
        PointerBuffer size = BufferUtils.createPointerBuffer(1);
        clGetPlatformInfo(platform, CL_PLATFORM_NAME, (ByteBuffer) null, size);
        ByteBuffer name = BufferUtils.createByteBuffer((int) size.get(0));
        clGetPlatformInfo(platform, CL_PLATFORM_NAME, name, null);
        return StandardCharsets.UTF_8.decode(name).toString();
    }

    private static void check(int code, String call) {
        if (code != CL_SUCCESS) {
            throw new IllegalStateException(call + " failed with OpenCL error " + code);
        }
    }

    static List<TestKernel> kernels() {
        return TestKernels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void pocLRunsTheTranslatedModuleLikeTheJvm(TestKernel kernel) throws Exception {
        assumeTrue(LLVM_SPIRV != null, "llvm-spirv is not installed (Debian llvm-spirv-15); no round trip");
        assumeTrue(noPocl == null, () -> "PoCL is unavailable: " + noPocl);

        SpirvKernel spv = SpirvEmitter.emit(kernel.ir(), Map.of());
        Path spvFile = dir.resolve(kernel.name() + ".spv");
        Path bcFile = dir.resolve(kernel.name() + ".bc");
        Files.write(spvFile, spv.binary());
        ExternalTool.Result translated = ExternalTool.run(List.of(LLVM_SPIRV.toString(), "-r",
                "--spirv-target-env=CL1.2", spvFile.toString(), "-o", bcFile.toString()));
        assertThat(translated.exitCode()).as("llvm-spirv -r: %s", translated.output()).isZero();

        Object[] deviceArgs = kernel.arguments().apply(new Random(42));
        Object[] expected = kernel.arguments().apply(new Random(42));
        kernel.reference().accept(expected);
        run(spv, Files.readAllBytes(bcFile), deviceArgs, grid(kernel.ir(), deviceArgs, kernel.globalSize()),
                kernel.localSize());
        for (int out : kernel.outputs()) {
            compare(kernel, out, (TypedArray) expected[out], (TypedArray) deviceArgs[out]);
        }
    }

    static List<KernelCase> pluginCases() {
        return KernelCases.parallel();
    }

    @ParameterizedTest(name = "plugin kernel {0}")
    @MethodSource("pluginCases")
    void pocLRunsThePluginKernelsLikeTheJavaMethod(KernelCase c) throws Exception {
        assumeTrue(LLVM_SPIRV != null, "llvm-spirv is not installed (Debian llvm-spirv-15); no round trip");
        assumeTrue(noPocl == null, () -> "PoCL is unavailable: " + noPocl);
        SpirvKernel spv = SpirvEmitter.emit(c.ir(), Map.of());
        Path spvFile = dir.resolve(spv.entryName() + ".spv");
        Path bcFile = dir.resolve(spv.entryName() + ".bc");
        Files.write(spvFile, spv.binary());
        ExternalTool.Result translated = ExternalTool.run(List.of(LLVM_SPIRV.toString(), "-r",
                "--spirv-target-env=CL1.2", spvFile.toString(), "-o", bcFile.toString()));
        assertThat(translated.exitCode()).as("llvm-spirv -r: %s", translated.output()).isZero();
        Object[] expected = c.arguments(7);
        Object[] actual = KernelCase.copy(expected);
        c.runJava(expected);
        run(spv, Files.readAllBytes(bcFile), actual, c.global(), null);
        c.assertSameResults(expected, actual);
    }

    private static long[] grid(io.tessera.tasks.compiler.ir.KernelIr ir, Object[] args, long[] explicit) {
        if (explicit != null) {
            return explicit;
        }
        long[] iterations = ir.parallelIterations(args);
        long[] global = new long[Math.max(1, iterations.length)];
        java.util.Arrays.fill(global, 1);
        for (int d = 0; d < iterations.length; d++) {
            // fewer work-items than iterations: each runs several grid-stride iterations
            global[d] = Math.max(1, Math.min(iterations[d], d == 0 ? 64 : 4));
        }
        return global;
    }

    private void run(SpirvKernel spv, byte[] bitcode, Object[] args, long[] global, long[] local) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            ByteBuffer binary = BufferUtils.createByteBuffer(bitcode.length).put(bitcode).flip();
            PointerBuffer devices = stack.pointers(device);
            PointerBuffer lengths = stack.pointers(bitcode.length);
            PointerBuffer binaries = stack.pointers(binary);
            long program = clCreateProgramWithBinary(context, devices, lengths, binaries, null, err);
            check(err.get(0), "clCreateProgramWithBinary");
            int built = clBuildProgram(program, device, "-x spir -spir-std=1.2", null, 0);
            assertThat(built).as("PoCL build log:\n%s", buildLog(program)).isEqualTo(CL_SUCCESS);
            long k = clCreateKernel(program, spv.entryName(), err);
            check(err.get(0), "clCreateKernel");
            List<Long> buffers = new ArrayList<>();
            List<KernelSignature.Argument> arguments = spv.signature().arguments();
            for (int i = 0; i < arguments.size(); i++) {
                switch (arguments.get(i)) {
                    case KernelSignature.ArrayArgument a -> {
                        TypedArray array = (TypedArray) args[a.param()];
                        long mem = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                                array.segment().asByteBuffer(), err);
                        check(err.get(0), "clCreateBuffer");
                        buffers.add(mem);
                        check(clSetKernelArg1p(k, i, mem), "clSetKernelArg");
                    }
                    case KernelSignature.LengthArgument l ->
                            check(clSetKernelArg1l(k, i, ((TypedArray) args[l.param()]).length()), "clSetKernelArg");
                    case KernelSignature.ScalarArgument s -> {
                        Object v = args[s.param()];
                        int rc = switch (v) {
                            case Integer x -> clSetKernelArg1i(k, i, x);
                            case Long x -> clSetKernelArg1l(k, i, x);
                            case Float x -> clSetKernelArg1f(k, i, x);
                            case Double x -> clSetKernelArg1d(k, i, x);
                            case Boolean x -> clSetKernelArg1i(k, i, x ? 1 : 0);
                            default -> throw new IllegalArgumentException("argument " + v);
                        };
                        check(rc, "clSetKernelArg");
                    }
                }
            }
            check(clEnqueueNDRangeKernel(queue, k, global.length, null, stack.pointers(global),
                    local == null ? null : stack.pointers(local), null, null), "clEnqueueNDRangeKernel");
            int b = 0;
            for (KernelSignature.Argument a : arguments) {
                if (a instanceof KernelSignature.ArrayArgument x) {
                    MemorySegment seg = ((TypedArray) args[x.param()]).segment();
                    check(clEnqueueReadBuffer(queue, buffers.get(b++), true, 0, seg.asByteBuffer(), null, null),
                            "clEnqueueReadBuffer");
                }
            }
            buffers.forEach(org.lwjgl.opencl.CL10::clReleaseMemObject);
            clReleaseKernel(k);
            clReleaseProgram(program);
        }
    }

    private static String buildLog(long program) {
        PointerBuffer size = BufferUtils.createPointerBuffer(1);
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, (ByteBuffer) null, size);
        ByteBuffer log = BufferUtils.createByteBuffer((int) Math.max(1, size.get(0)));
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log, null);
        return StandardCharsets.UTF_8.decode(log).toString();
    }

    /** Exact equality for integer and tolerance-0 outputs; otherwise normalised mean squared error. */
    private static void compare(TestKernel kernel, int param, TypedArray expected, TypedArray actual) {
        long n = expected.length();
        String what = kernel.name() + " parameter " + param;
        switch (expected) {
            case IntArray e -> {
                for (long i = 0; i < n; i++) {
                    assertThat(((IntArray) actual).get(i)).as("%s[%d]", what, i).isEqualTo(e.get(i));
                }
            }
            case LongArray e -> {
                for (long i = 0; i < n; i++) {
                    assertThat(((LongArray) actual).get(i)).as("%s[%d]", what, i).isEqualTo(e.get(i));
                }
            }
            case ByteArray e -> {
                for (long i = 0; i < n; i++) {
                    assertThat(((ByteArray) actual).get(i)).as("%s[%d]", what, i).isEqualTo(e.get(i));
                }
            }
            default -> {
                double err = 0;
                double norm = 0;
                for (long i = 0; i < n; i++) {
                    double x = floatAt(expected, i);
                    double y = floatAt(actual, i);
                    if (kernel.tolerance() == 0) {
                        assertThat(y).as("%s[%d]", what, i).isEqualTo(x);
                    }
                    err += (x - y) * (x - y);
                    norm += x * x;
                }
                double nmse = norm == 0 ? err : err / norm;
                assertThat(nmse).as("%s: normalised mean squared error", what).isLessThanOrEqualTo(kernel.tolerance());
            }
        }
    }

    private static double floatAt(TypedArray a, long i) {
        return switch (a) {
            case FloatArray f -> f.get(i);
            case HalfArray h -> h.get(i);
            case BFloat16Array b -> b.get(i);
            default -> throw new IllegalArgumentException(a.getClass().getSimpleName());
        };
    }
}
