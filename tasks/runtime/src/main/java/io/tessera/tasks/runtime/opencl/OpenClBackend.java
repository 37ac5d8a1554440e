package io.tessera.tasks.runtime.opencl;

import static org.lwjgl.opencl.CL10.*;

import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.UnsupportedFeatureException;
import io.tessera.tasks.api.TaskProfile;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.spirv.SpirvEmitter;
import io.tessera.tasks.runtime.backend.DeviceBackend;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.device.DeviceInfo;
import io.tessera.tasks.runtime.device.OpenClDevice;
import io.tessera.tasks.runtime.device.OpenClException;
import io.tessera.tasks.runtime.kernel.KernelModel;
import io.tessera.tasks.runtime.kernel.KernelModels;
import io.tessera.tasks.runtime.kernel.MissingKernelIrException;
import io.tessera.tasks.runtime.spirv.LlvmSpirv;
import java.lang.foreign.MemorySegment;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * One OpenCL device: a context, an in-order queue with profiling, buffers, and the program cache.
 * On CPU devices an array whose memory meets the device's base-address alignment backs its buffer
 * directly (CL_MEM_USE_HOST_PTR); copies then only synchronise.
 *
 * <p>The same backend serves the {@code opencl} devices, which take OpenCL C, and the {@code spirv}
 * devices, which take the SPIR-V back end's modules ({@link ClTarget}); only the making of programs
 * differs. Hand-written OpenCL C replaces generated code on {@code opencl} devices only; {@code spirv}
 * devices always run what the SPIR-V back end emits from the kernel's IR.
 */
public final class OpenClBackend implements DeviceBackend {
    private final DeviceInfo info;
    private final OpenClDevice device;
    private final long context;
    private final long queue;
    private final ClPrograms programs;
    private final ClTarget target;

    /** An {@code opencl} device: kernels as OpenCL C. */
    public OpenClBackend(DeviceInfo info, OpenClDevice device) {
        this(info, device, ClTarget.OPENCL_C, null);
    }

    /**
     * A device fed {@code target} code; {@code translator} is the SPIR-V to SPIR 1.2 translator
     * for {@link ClTarget#SPIRV_VIA_SPIR12} and null otherwise.
     */
    public OpenClBackend(DeviceInfo info, OpenClDevice device, ClTarget target, LlvmSpirv translator) {
        if ((target == ClTarget.SPIRV_VIA_SPIR12) != (translator != null)) {
            throw new IllegalArgumentException("a translator is needed exactly for " + ClTarget.SPIRV_VIA_SPIR12);
        }
        this.info = info;
        this.device = device;
        this.target = target;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer status = stack.mallocInt(1);
            PointerBuffer properties = stack.mallocPointer(3).put(CL_CONTEXT_PLATFORM).put(device.platform()).put(0).flip();
            this.context = clCreateContext(properties, device.device(), null, 0, status);
            OpenClException.check("clCreateContext on " + info.selector(), status.get(0));
            this.queue = clCreateCommandQueue(context, device.device(), CL_QUEUE_PROFILING_ENABLE, status);
            OpenClException.check("clCreateCommandQueue on " + info.selector(), status.get(0));
        }
        this.programs = new ClPrograms(context, device.device(), info.selector(), device.openClVersion() >= 21,
                translator);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** Number of programs built for this device so far. */
    public int cachedPrograms() {
        return programs.size();
    }

    @Override
    public DeviceBuffer allocate(TypedArray array) {
        MemorySegment segment = array.segment();
        if (!segment.isNative()) {
            throw new TaskExecutionException(null, info.selector(), array + " lives on the Java heap; arrays "
                    + "used on " + info.selector() + " must be off-heap (allocate them from an Arena)");
        }
        if (array.byteSize() > info.maxAllocationBytes()) {
            throw new TaskExecutionException(null, info.selector(), array + " of " + array.byteSize()
                    + " bytes exceeds the largest allocation of " + info.selector() + " (" + info.maxAllocationBytes() + ")");
        }
        boolean zeroCopy = device.cpu() && array.byteSize() > 0
                && segment.address() % device.baseAddressAlignment() == 0;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer status = stack.mallocInt(1);
            long bytes = Math.max(array.byteSize(), 4);
            long mem = zeroCopy
                    ? nclCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR, bytes, segment.address(),
                    MemoryUtil.memAddress(status))
                    : nclCreateBuffer(context, CL_MEM_READ_WRITE, bytes, 0, MemoryUtil.memAddress(status));
            if (status.get(0) != CL_SUCCESS) {
                throw new TaskExecutionException(null, info.selector(), "cannot allocate " + bytes + " bytes for "
                        + array + " on " + info.selector() + ": " + new OpenClException("clCreateBuffer", status.get(0))
                        .getMessage());
            }
            return new ClBuffer(array, info.selector(), mem, bytes, zeroCopy);
        }
    }

    @Override
    public long copyToDevice(DeviceBuffer buffer) {
        ClBuffer b = (ClBuffer) buffer;
        if (b.zeroCopy()) {
            synchronise(b);
            return 0;
        }
        if (b.array().byteSize() == 0) {
            return 0;
        }
        OpenClException.check("clEnqueueWriteBuffer of " + b.array() + " on " + info.selector(),
                nclEnqueueWriteBuffer(queue, b.mem(), CL_TRUE, 0, b.array().byteSize(), b.array().segment().address(),
                        0, 0, 0));
        return b.array().byteSize();
    }

    @Override
    public long copyToHost(DeviceBuffer buffer) {
        ClBuffer b = (ClBuffer) buffer;
        if (b.zeroCopy()) {
            synchronise(b);
            return 0;
        }
        if (b.array().byteSize() == 0) {
            return 0;
        }
        OpenClException.check("clEnqueueReadBuffer of " + b.array() + " on " + info.selector(),
                nclEnqueueReadBuffer(queue, b.mem(), CL_TRUE, 0, b.array().byteSize(), b.array().segment().address(),
                        0, 0, 0));
        return b.array().byteSize();
    }

    /** Maps and unmaps a host-backed buffer: the spec's way to make host and device agree, with no copy. */
    private void synchronise(ClBuffer b) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer status = stack.mallocInt(1);
            long mapped = nclEnqueueMapBuffer(queue, b.mem(), CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, 0, b.bytes(),
                    0, 0, 0, MemoryUtil.memAddress(status));
            OpenClException.check("clEnqueueMapBuffer of " + b.array() + " on " + info.selector(), status.get(0));
            OpenClException.check("clEnqueueUnmapMemObject", nclEnqueueUnmapMemObject(queue, b.mem(), mapped, 0, 0, 0));
            OpenClException.check("clFinish", clFinish(queue));
        }
    }

    @Override
    public PreparedKernel prepare(TaskSpec task, Map<Integer, Object> constants) {
        KernelModel model;
        try {
            model = target == ClTarget.OPENCL_C ? KernelModels.require(task.kernel())
                    : KernelModels.requireIr(task.kernel());
        } catch (MissingKernelIrException e) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                    + " cannot run on " + info.selector() + ": " + e.getMessage(), e);
        }
        ClCode code = emit(task, model, constants);
        requireExtensions(task, model, code);
        boolean cached = programs.cached(code);
        long start = System.nanoTime();
        ClProgram program = programs.get(task, model.sourceLocation(), code);
        long compile = cached ? 0 : System.nanoTime() - start;
        return new ClPrepared(program, model, code.arguments(), compile);
    }

    /** The code this device takes. */
    public ClTarget target() {
        return target;
    }

    /** A program that needs an extension the device lacks is an error before the driver sees it. */
    private void requireExtensions(TaskSpec task, KernelModel model, ClCode code) {
        String missing = code.usesDouble() && !info.fp64() ? "double precision (cl_khr_fp64)"
                : code.usesHalfArithmetic() && !info.fp16() ? "half precision arithmetic (cl_khr_fp16)"
                : null;
        if (missing != null) {
            throw new UnsupportedFeatureException(task.qualifiedName(), info.selector(), "kernel " + task.kernelName()
                    + (model.sourceLocation() == null ? "" : " (" + model.sourceLocation() + ")") + " of task "
                    + task.qualifiedName() + " uses " + missing + ", which " + info.selector() + " (" + info.name()
                    + ") does not support");
        }
    }

    private ClCode emit(TaskSpec task, KernelModel model, Map<Integer, Object> constants) {
        String where = model.sourceLocation() == null ? "" : " (" + model.sourceLocation() + ")";
        try {
            return switch (target) {
                case OPENCL_C -> new ClCode.Source(model.openCl(constants));
                case SPIRV_IL, SPIRV_VIA_SPIR12 -> {
                    KernelIr ir = model.ir().orElseThrow();
                    yield ClCode.Spirv.of(SpirvEmitter.emit(ir, constants), target == ClTarget.SPIRV_VIA_SPIR12);
                }
            };
        } catch (RuntimeException e) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "kernel " + task.kernelName()
                    + where + " cannot be emitted as " + target.description() + " for " + info.selector() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public TaskProfile launch(PreparedKernel prepared, TaskSpec task, List<DeviceBuffer> buffers, WorkerGrid grid) {
        ClPrepared p = (ClPrepared) prepared;
        ClGrid range = ClGrid.of(task, p.model(), grid, info);
        synchronized (p.program()) {
            ClArguments.bind(task, p, buffers, info.selector());
            return ClLaunch.run(queue, p.program().kernel(), task, range, info.selector(), p.model().sourceLocation());
        }
    }
}
