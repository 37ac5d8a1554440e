package io.tessera.tasks.runtime.cuda;

import io.tessera.tasks.api.KernelCompilationException;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskProfile;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ptx.PtxEmitter;
import io.tessera.tasks.compiler.ptx.PtxEmitter.PtxKernel;
import io.tessera.tasks.runtime.backend.DeviceBackend;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.backend.UnsupportedBackendException;
import io.tessera.tasks.runtime.device.DeviceInfo;
import io.tessera.tasks.runtime.kernel.KernelModel;
import io.tessera.tasks.runtime.kernel.KernelModels;
import io.tessera.tasks.runtime.kernel.MissingKernelIrException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One CUDA device: its primary context, device buffers ({@code cuMemAlloc}) filled and read by
 * explicit copies, and the modules JIT-loaded from the PTX back end's output for the device's
 * compute capability, one per kernel and specialisation.
 *
 * <p>Caveats worth knowing:
 * <ul>
 *   <li>Copies and launches go to the context's default stream and wait for their end, as the
 *       OpenCL backend's in-order queue does.</li>
 *   <li>CUDA events give a duration, not timestamps: a launch's profile starts at the host time of
 *       the launch call and lasts the time between the events recorded around the kernel
 *       ({@code deviceClock} is true: the duration is the device's).</li>
 *   <li>An error inside a kernel (an illegal address) is sticky: the driver refuses every later
 *       call in the context, so the process must be restarted to use the device again.</li>
 *   <li>Kernels are always emitted from their IR; hand-written OpenCL C is for OpenCL devices.</li>
 * </ul>
 */
public final class CudaBackend implements DeviceBackend {
    private final DeviceInfo info;
    private final CudaDriver driver;
    private final CudaDevice device;
    private final long context;
    private final Map<String, Loaded> modules = new HashMap<>();

    private record Loaded(long module, long function) {
    }

    private CudaBackend(DeviceInfo info, CudaDriver driver, int ordinal) {
        this.info = info;
        this.driver = driver;
        this.device = driver.describeDevice(ordinal);
        this.context = driver.retainPrimaryContext(driver.device(ordinal));
    }

    /** Opens {@code cuda:N}; an absent or broken driver is an {@link UnsupportedBackendException} saying why. */
    public static CudaBackend open(DeviceInfo info) {
        CudaDriver driver;
        try {
            driver = CudaDriver.load();
        } catch (CudaUnavailableException e) {
            throw new UnsupportedBackendException(info.selector(), e.getMessage());
        }
        int ordinal;
        try {
            ordinal = Integer.parseInt(info.selector().substring(info.selector().indexOf(':') + 1));
        } catch (NumberFormatException e) {
            throw new UnsupportedBackendException(info.selector(), "not a CUDA selector (cuda:N)");
        }
        try {
            return new CudaBackend(info, driver, ordinal);
        } catch (CudaException e) {
            throw new TaskExecutionException(null, info.selector(), "cannot open " + info.selector() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** What the driver reports about the device. */
    public CudaDevice device() {
        return device;
    }

    /** Number of modules loaded on this device so far. */
    public synchronized int cachedModules() {
        return modules.size();
    }

    private void bind() {
        driver.setCurrentContext(context);
    }

    @Override
    public DeviceBuffer allocate(TypedArray array) {
        if (!array.segment().isNative()) {
            throw new TaskExecutionException(null, info.selector(), array + " lives on the Java heap; arrays "
                    + "used on " + info.selector() + " must be off-heap (allocate them from an Arena)");
        }
        bind();
        try {
            return new CudaBuffer(array, info.selector(), driver.allocate(array.byteSize()), this);
        } catch (CudaException e) {
            throw new TaskExecutionException(null, info.selector(), "cannot allocate " + array.byteSize()
                    + " bytes for " + array + " on " + info.selector() + " (" + device.name() + "): "
                    + e.getMessage(), e);
        }
    }

    void free(long pointer) {
        bind();
        driver.free(pointer);
    }

    @Override
    public long copyToDevice(DeviceBuffer buffer) {
        CudaBuffer b = (CudaBuffer) buffer;
        if (b.array().byteSize() == 0) {
            return 0;
        }
        bind();
        try {
            driver.copyToDevice(b.pointer(), b.array().segment());
        } catch (CudaException e) {
            throw new TaskExecutionException(null, info.selector(), "copying " + b.array() + " to "
                    + info.selector() + " failed: " + e.getMessage(), e);
        }
        return b.array().byteSize();
    }

    @Override
    public long copyToHost(DeviceBuffer buffer) {
        CudaBuffer b = (CudaBuffer) buffer;
        if (b.array().byteSize() == 0) {
            return 0;
        }
        bind();
        try {
            driver.copyToHost(b.array().segment(), b.pointer());
        } catch (CudaException e) {
            throw new TaskExecutionException(null, info.selector(), "copying " + b.array() + " from "
                    + info.selector() + " failed: " + e.getMessage(), e);
        }
        return b.array().byteSize();
    }

    @Override
    public PreparedKernel prepare(TaskSpec task, Map<Integer, Object> constants) {
        KernelModel model;
        try {
            model = KernelModels.requireIr(task.kernel());
        } catch (MissingKernelIrException e) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                    + " cannot run on " + info.selector() + ": " + e.getMessage(), e);
        }
        String what = what(task, model);
        KernelIr ir = model.ir().orElseThrow();
        PtxKernel ptx;
        try {
            ptx = PtxEmitter.emit(ir, constants, device.computeCapability());
        } catch (RuntimeException e) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), what + " cannot be emitted as PTX"
                    + " for " + info.selector() + " (" + device.name() + ", sm_" + device.computeCapability() + "): "
                    + e.getMessage(), e);
        }
        long start = System.nanoTime();
        long compile = 0;
        Loaded loaded;
        synchronized (this) {
            loaded = modules.get(ptx.ptx());
            if (loaded == null) {
                loaded = load(task, what, ptx);
                modules.put(ptx.ptx(), loaded);
                compile = System.nanoTime() - start;
            }
        }
        return new CudaPrepared(model, ptx, loaded.function(), compile);
    }

    private Loaded load(TaskSpec task, String what, PtxKernel ptx) {
        bind();
        CudaDriver.LoadedModule module;
        try {
            module = driver.loadModule(ptx.ptx());
        } catch (CudaException e) {
            throw new KernelCompilationException(task.qualifiedName(), info.selector(), what + " failed to load on "
                    + info.selector() + " (" + device.name() + ", PTX for sm_" + ptx.target() + "): "
                    + e.call() + " returned " + e.resultName(), e.detail());
        }
        try {
            return new Loaded(module.handle(), driver.function(module.handle(), ptx.entryName()));
        } catch (CudaException e) {
            driver.unloadModule(module.handle());
            throw new KernelCompilationException(task.qualifiedName(), info.selector(), what + ": its module on "
                    + info.selector() + " has no entry " + ptx.entryName() + ": " + e.getMessage(), null);
        }
    }

    private static String what(TaskSpec task, KernelModel model) {
        return "kernel " + task.kernelName() + (model.sourceLocation() == null ? "" : " (" + model.sourceLocation()
                + ")") + " of task " + task.qualifiedName();
    }

    @Override
    public TaskProfile launch(PreparedKernel prepared, TaskSpec task, List<DeviceBuffer> buffers, WorkerGrid grid) {
        CudaPrepared p = (CudaPrepared) prepared;
        String what = what(task, p.model());
        CudaGrid shape = shape(task, p.model(), grid, what);
        bind();
        try (Arena arena = Arena.ofConfined()) {
            List<MemorySegment> values;
            try {
                values = CudaArguments.pack(arena, p.ptx().signature(), task.arguments().toArray(),
                        param -> ((CudaBuffer) buffers.get(param)).pointer(), task.kernelName());
            } catch (IllegalArgumentException e) {
                throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                        + ": " + e.getMessage(), e);
            }
            MemorySegment params = CudaDriver.kernelParams(arena, values);
            long start = driver.createEvent();
            long end = driver.createEvent();
            try {
                long hostStart = System.nanoTime();
                driver.recordEvent(start, 0);
                try {
                    driver.launch(p.function(), shape.blocks(), shape.threads(), 0, 0, params);
                } catch (CudaException e) {
                    throw new TaskExecutionException(task.qualifiedName(), info.selector(), what
                            + " could not be launched on " + info.selector() + ": " + e.getMessage() + " (" + shape + ")", e);
                }
                driver.recordEvent(end, 0);
                try {
                    driver.synchronizeEvent(end);
                } catch (CudaException e) {
                    throw new TaskExecutionException(task.qualifiedName(), info.selector(), what + " failed on "
                            + info.selector() + ": " + e.getMessage() + " (" + shape + ")", e);
                }
                long kernelNanos = Math.round(driver.elapsedMillis(start, end) * 1e6);
                return new TaskProfile(task.qualifiedName(), info.selector(), hostStart, hostStart, hostStart,
                        hostStart + kernelNanos, true);
            } finally {
                driver.destroyEvent(start);
                driver.destroyEvent(end);
            }
        }
    }

    private CudaGrid shape(TaskSpec task, KernelModel model, WorkerGrid grid, String what) {
        if (grid != null) {
            long[] global = new long[grid.dimensions()];
            long[] local = new long[grid.dimensions()];
            for (int d = 0; d < global.length; d++) {
                global[d] = grid.global(d);
                local[d] = grid.local(d);
            }
            try {
                return CudaGrid.forGlobal(global, local, device.maxThreadsPerBlock());
            } catch (IllegalArgumentException e) {
                throw new TaskExecutionException(task.qualifiedName(), info.selector(), what + " cannot be launched on "
                        + info.selector() + ": " + e.getMessage());
            }
        }
        if (model.contextParameter() >= 0) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                    + " takes a KernelContext and needs a WorkerGrid: plan.withGridScheduler(new GridScheduler(\""
                    + task.qualifiedName() + "\", WorkerGrid.of(...)))");
        }
        long[] iterations = model.parallelIterations(task.arguments().toArray());
        for (int d = 0; d < iterations.length; d++) {
            // as on OpenCL, a kernel with no iterations still starts (its parallel loops run none)
            iterations[d] = Math.max(1, iterations[d]);
        }
        return CudaGrid.forIterations(iterations, device.multiprocessors());
    }
}
