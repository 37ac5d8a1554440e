package io.tessera.tasks.runtime.cuda;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.runtime.kernel.WrittenArrays;
import io.tessera.tasks.compiler.ptx.KernelSignature;
import io.tessera.tasks.compiler.ptx.PtxEmitter;
import io.tessera.tasks.compiler.ptx.PtxEmitter.PtxKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one kernel on one CUDA device, start to finish: PTX for the device's compute capability,
 * JIT load, copies of the typed arrays to the device, launch, copies back of the arrays the kernel
 * writes, and release. Modules are cached per kernel and specialisation. The runtime's {@code cuda}
 * backend can keep buffers resident instead; this class is the simplest complete path, used by the
 * GPU tests against the JVM.
 *
 * <p>Grids: for {@code @Parallel} kernels, blocks of 256 (1-D), 32 x 8 (2-D) or 16 x 8 x 4 (3-D)
 * threads and enough blocks to cover the iterations of each dimension, capped (at 32 blocks per
 * multiprocessor in x, 65535 in y and z) since the grid-stride loops cover the rest. Explicit
 * ({@code KernelContext}) kernels take their global and local sizes, as OpenCL's ND-range.
 */
public final class CudaKernelRunner implements AutoCloseable {
    private final CudaDriver driver;
    private final CudaDevice device;
    private final int cuDevice;
    private final long context;
    private final Map<String, Loaded> modules = new HashMap<>();

    private record Loaded(PtxKernel ptx, long module, long function) {
    }

    /** Timings of one run, in milliseconds, from CUDA events around the launch. */
    public record Timing(float kernelMillis) {
    }

    /** Opens device {@code ordinal} (its primary context). */
    public CudaKernelRunner(CudaDriver driver, int ordinal) {
        this.driver = driver;
        this.device = driver.describeDevice(ordinal);
        this.cuDevice = driver.device(ordinal);
        this.context = driver.retainPrimaryContext(cuDevice);
        driver.setCurrentContext(context);
    }

    public CudaDevice device() {
        return device;
    }

    /** Runs a {@code @Parallel} kernel on {@code args} (Java order; the context slot may be null). */
    public Timing run(KernelIr ir, Object[] args) {
        return run(ir, args, Map.of(), null, null);
    }

    /**
     * Runs {@code ir} on {@code args} with scalar parameters folded from {@code constants}. For an
     * explicit kernel, {@code global} and {@code local} give the ND-range (global a multiple of
     * local in each dimension); for a {@code @Parallel} kernel both are null.
     */
    public Timing run(KernelIr ir, Object[] args, Map<Integer, Object> constants, long[] global, long[] local) {
        driver.setCurrentContext(context);
        Loaded loaded = load(ir, constants);
        int[][] grid = grid(ir, args, global, local, device.multiprocessors());
        if (grid == null) {
            return new Timing(0);
        }
        Set<Integer> written = WrittenArrays.of(ir);
        List<Long> allocations = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            Map<Integer, Long> devicePointers = new HashMap<>();
            for (KernelSignature.Argument a : loaded.ptx().signature().arguments()) {
                if (a instanceof KernelSignature.ArrayArgument x) {
                    TypedArray array = CudaArguments.typedArray(ir.qualifiedName(), x.name(), args[x.param()]);
                    long ptr = driver.allocate(array.byteSize());
                    allocations.add(ptr);
                    driver.copyToDevice(ptr, array.segment());
                    devicePointers.put(x.param(), ptr);
                }
            }
            List<MemorySegment> values = CudaArguments.pack(arena, loaded.ptx().signature(), args,
                    devicePointers::get, ir.qualifiedName());
            long start = driver.createEvent();
            long end = driver.createEvent();
            try {
                driver.recordEvent(start, 0);
                driver.launch(loaded.function(), grid[0], grid[1], 0, 0, CudaDriver.kernelParams(arena, values));
                driver.recordEvent(end, 0);
                driver.synchronizeEvent(end);
                float millis = driver.elapsedMillis(start, end);
                for (Map.Entry<Integer, Long> e : devicePointers.entrySet()) {
                    if (written.contains(e.getKey())) {
                        driver.copyToHost(((TypedArray) args[e.getKey()]).segment(), e.getValue());
                    }
                }
                return new Timing(millis);
            } finally {
                driver.destroyEvent(start);
                driver.destroyEvent(end);
            }
        } finally {
            allocations.forEach(driver::free);
        }
    }

    private Loaded load(KernelIr ir, Map<Integer, Object> constants) {
        String key = ir.qualifiedName() + constants;
        Loaded loaded = modules.get(key);
        if (loaded == null) {
            PtxKernel ptx = PtxEmitter.emit(ir, constants, device.computeCapability());
            CudaDriver.LoadedModule module;
            try {
                module = driver.loadModule(ptx.ptx());
            } catch (CudaException e) {
                throw new CudaException(e.call() + " of kernel " + ir.qualifiedName() + " (" + ir.sourceFile() + ":"
                        + ir.line() + ") on " + device.selector() + " " + device.name(), e.result(), e.resultName(),
                        null, e.getMessage());
            }
            loaded = new Loaded(ptx, module.handle(), driver.function(module.handle(), ptx.entryName()));
            modules.put(key, loaded);
        }
        return loaded;
    }

    /** {grid, block} in CUDA's x, y, z; null when there is nothing to run. See {@link CudaGrid}. */
    static int[][] grid(KernelIr ir, Object[] args, long[] global, long[] local, int multiprocessors) {
        CudaGrid grid;
        if (global != null) {
            try {
                grid = CudaGrid.forGlobal(global, local, Integer.MAX_VALUE);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kernel " + ir.qualifiedName() + ": " + e.getMessage(), e);
            }
        } else {
            grid = CudaGrid.forIterations(ir.parallelIterations(args), multiprocessors);
        }
        return grid == null || grid.blocks()[0] * (long) grid.blocks()[1] * grid.blocks()[2] == 0 ? null
                : new int[][] {grid.blocks(), grid.threads()};
    }

    @Override
    public void close() {
        driver.setCurrentContext(context);
        for (Loaded l : modules.values()) {
            driver.unloadModule(l.module());
        }
        modules.clear();
        driver.releasePrimaryContext(cuDevice);
    }
}
