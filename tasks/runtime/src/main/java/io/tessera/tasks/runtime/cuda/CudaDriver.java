package io.tessera.tasks.runtime.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Our own bindings to the CUDA driver API ({@code libcuda.so.1}) through the FFM API: devices and
 * their attributes, primary contexts, device memory and copies, modules JIT-compiled from PTX with
 * the JIT logs, launches, streams and events. Handles ({@code CUcontext}, {@code CUmodule},
 * {@code CUfunction}, {@code CUstream}, {@code CUevent}) are raw addresses as {@code long}s;
 * {@code CUdeviceptr}s are {@code long}s. Every failing call throws a {@link CudaException} naming
 * the call and its {@code CUresult}.
 *
 * <p>Entry points are the driver's versioned ABI symbols ({@code _v2} where the CUDA headers map the
 * plain name to one), so the bindings do not depend on the toolkit headers of any CUDA version.
 */
@SuppressWarnings("restricted") // our own bindings to the CUDA driver library are the point of this class
public final class CudaDriver {
    /** The soname of the driver library, installed by the NVIDIA driver (not by the toolkit). */
    public static final String LIBRARY = "libcuda.so.1";

    // CUdevice_attribute
    static final int ATTR_MAX_THREADS_PER_BLOCK = 1;
    static final int ATTR_MAX_SHARED_MEMORY_PER_BLOCK = 8;
    static final int ATTR_WARP_SIZE = 10;
    static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    static final int ATTR_MEMORY_CLOCK_RATE = 36;
    static final int ATTR_GLOBAL_MEMORY_BUS_WIDTH = 37;
    static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;

    // CUjit_option
    static final int JIT_INFO_LOG_BUFFER = 3;
    static final int JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    static final int JIT_ERROR_LOG_BUFFER = 5;
    static final int JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    static final int JIT_LOG_VERBOSE = 12;
    private static final int JIT_LOG_BYTES = 16 * 1024;

    private static volatile CudaDriver instance;

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup library;
    private final MethodHandle cuGetErrorName;
    private final MethodHandle cuGetErrorString;
    private final MethodHandle cuInit;
    private final MethodHandle cuDriverGetVersion;
    private final MethodHandle cuDeviceGetCount;
    private final MethodHandle cuDeviceGet;
    private final MethodHandle cuDeviceGetName;
    private final MethodHandle cuDeviceTotalMem;
    private final MethodHandle cuDeviceGetAttribute;
    private final MethodHandle cuDevicePrimaryCtxRetain;
    private final MethodHandle cuDevicePrimaryCtxRelease;
    private final MethodHandle cuCtxSetCurrent;
    private final MethodHandle cuCtxSynchronize;
    private final MethodHandle cuMemAlloc;
    private final MethodHandle cuMemFree;
    private final MethodHandle cuMemcpyHtoD;
    private final MethodHandle cuMemcpyDtoH;
    private final MethodHandle cuMemcpyHtoDAsync;
    private final MethodHandle cuMemcpyDtoHAsync;
    private final MethodHandle cuModuleLoadDataEx;
    private final MethodHandle cuModuleUnload;
    private final MethodHandle cuModuleGetFunction;
    private final MethodHandle cuLaunchKernel;
    private final MethodHandle cuStreamCreate;
    private final MethodHandle cuStreamSynchronize;
    private final MethodHandle cuStreamDestroy;
    private final MethodHandle cuEventCreate;
    private final MethodHandle cuEventRecord;
    private final MethodHandle cuEventSynchronize;
    private final MethodHandle cuEventElapsedTime;
    private final MethodHandle cuEventDestroy;

    private CudaDriver(SymbolLookup library) {
        this.library = library;
        cuGetErrorName = bind("cuGetErrorName", JAVA_INT, ADDRESS);
        cuGetErrorString = bind("cuGetErrorString", JAVA_INT, ADDRESS);
        cuInit = bind("cuInit", JAVA_INT);
        cuDriverGetVersion = bind("cuDriverGetVersion", ADDRESS);
        cuDeviceGetCount = bind("cuDeviceGetCount", ADDRESS);
        cuDeviceGet = bind("cuDeviceGet", ADDRESS, JAVA_INT);
        cuDeviceGetName = bind("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        cuDeviceTotalMem = bind("cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        cuDeviceGetAttribute = bind("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        cuDevicePrimaryCtxRetain = bind("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        cuDevicePrimaryCtxRelease = bind("cuDevicePrimaryCtxRelease_v2", JAVA_INT);
        cuCtxSetCurrent = bind("cuCtxSetCurrent", ADDRESS);
        cuCtxSynchronize = bind("cuCtxSynchronize");
        cuMemAlloc = bind("cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        cuMemFree = bind("cuMemFree_v2", JAVA_LONG);
        cuMemcpyHtoD = bind("cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
        cuMemcpyDtoH = bind("cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        cuMemcpyHtoDAsync = bind("cuMemcpyHtoDAsync_v2", JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
        cuMemcpyDtoHAsync = bind("cuMemcpyDtoHAsync_v2", ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
        cuModuleLoadDataEx = bind("cuModuleLoadDataEx", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        cuModuleUnload = bind("cuModuleUnload", ADDRESS);
        cuModuleGetFunction = bind("cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        cuLaunchKernel = bind("cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        cuStreamCreate = bind("cuStreamCreate", ADDRESS, JAVA_INT);
        cuStreamSynchronize = bind("cuStreamSynchronize", ADDRESS);
        cuStreamDestroy = bind("cuStreamDestroy_v2", ADDRESS);
        cuEventCreate = bind("cuEventCreate", ADDRESS, JAVA_INT);
        cuEventRecord = bind("cuEventRecord", ADDRESS, ADDRESS);
        cuEventSynchronize = bind("cuEventSynchronize", ADDRESS);
        cuEventElapsedTime = bind("cuEventElapsedTime", ADDRESS, ADDRESS, ADDRESS);
        cuEventDestroy = bind("cuEventDestroy_v2", ADDRESS);
    }

    private MethodHandle bind(String name, MemoryLayout... args) {
        MemorySegment symbol = library.find(name).orElseThrow(() -> new CudaUnavailableException(
                LIBRARY + " has no " + name + " (NVIDIA driver too old for these bindings)"));
        return linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, args));
    }

    /**
     * The driver, loaded and initialised ({@code cuInit(0)}) once per process. Throws
     * {@link CudaUnavailableException} when {@code libcuda.so.1} is absent ("libcuda.so.1 not found
     * (no NVIDIA driver)") or cannot be initialised (the message carries the {@code CUresult}).
     */
    public static CudaDriver load() {
        CudaDriver d = instance;
        if (d == null) {
            synchronized (CudaDriver.class) {
                d = instance;
                if (d == null) {
                    d = load(LIBRARY);
                    instance = d;
                }
            }
        }
        return d;
    }

    /** Loads and initialises the driver from {@code libraryName} (a soname or a path). */
    static CudaDriver load(String libraryName) {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(libraryName, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new CudaUnavailableException(libraryName + " not found (no NVIDIA driver)", e);
        }
        CudaDriver driver = new CudaDriver(lookup);
        try {
            driver.check("cuInit", driver.call(driver.cuInit, 0));
        } catch (CudaException e) {
            throw new CudaUnavailableException("the CUDA driver does not initialise: " + e.getMessage(), e);
        }
        return driver;
    }

    /** Why CUDA is unavailable on this machine, or null when it is usable. Never throws. */
    public static String unavailableReason() {
        try {
            load();
            return null;
        } catch (CudaUnavailableException e) {
            return e.getMessage();
        }
    }

    // ---------------------------------------------------------------- calls and errors

    private int call(MethodHandle handle, Object... args) {
        try {
            return (int) handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }

    private void check(String callName, int result) {
        check(callName, result, null);
    }

    private void check(String callName, int result, String detail) {
        if (result != 0) {
            throw new CudaException(callName, result, errorName(result), errorString(result), detail);
        }
    }

    /** {@code cuGetErrorName}: the enumerator of a {@code CUresult}, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName(int result) {
        return describe(cuGetErrorName, result, "CUresult " + result);
    }

    /** {@code cuGetErrorString}: the driver's description of a {@code CUresult}. */
    public String errorString(int result) {
        return describe(cuGetErrorString, result, null);
    }

    private String describe(MethodHandle handle, int result, String fallback) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            if (call(handle, result, out) != 0) {
                return fallback;
            }
            MemorySegment text = out.get(ADDRESS, 0);
            return text.equals(MemorySegment.NULL) ? fallback : text.reinterpret(4096).getString(0);
        }
    }

    private int readInt(String name, MethodHandle handle, Object... argsAfterOut) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            Object[] args = prepend(out, argsAfterOut);
            check(name, call(handle, args));
            return out.get(JAVA_INT, 0);
        }
    }

    private long readAddress(String name, MethodHandle handle, Object... argsAfterOut) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check(name, call(handle, prepend(out, argsAfterOut)));
            return out.get(ADDRESS, 0).address();
        }
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static MemorySegment handle(long address) {
        return MemorySegment.ofAddress(address);
    }

    // ---------------------------------------------------------------- devices

    /** The driver's CUDA version, e.g. 12040 for 12.4. */
    public int driverVersion() {
        return readInt("cuDriverGetVersion", cuDriverGetVersion);
    }

    public int deviceCount() {
        return readInt("cuDeviceGetCount", cuDeviceGetCount);
    }

    /** The {@code CUdevice} of ordinal {@code ordinal}. */
    public int device(int ordinal) {
        return readInt("cuDeviceGet", cuDeviceGet, ordinal);
    }

    public String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(256);
            check("cuDeviceGetName", call(cuDeviceGetName, name, 256, device));
            return name.getString(0, StandardCharsets.UTF_8);
        }
    }

    public long deviceTotalMemory(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuDeviceTotalMem", call(cuDeviceTotalMem, out, device));
            return out.get(JAVA_LONG, 0);
        }
    }

    /** {@code cuDeviceGetAttribute} for a {@code CUdevice_attribute} value. */
    public int deviceAttribute(int device, int attribute) {
        return readInt("cuDeviceGetAttribute", cuDeviceGetAttribute, attribute, device);
    }

    /** Everything {@link CudaDevice} holds, for device ordinal {@code ordinal}. */
    public CudaDevice describeDevice(int ordinal) {
        int d = device(ordinal);
        return new CudaDevice(ordinal, deviceName(d), deviceTotalMemory(d),
                deviceAttribute(d, ATTR_COMPUTE_CAPABILITY_MAJOR) * 10 + deviceAttribute(d, ATTR_COMPUTE_CAPABILITY_MINOR),
                deviceAttribute(d, ATTR_MULTIPROCESSOR_COUNT), deviceAttribute(d, ATTR_MAX_THREADS_PER_BLOCK),
                deviceAttribute(d, ATTR_MAX_SHARED_MEMORY_PER_BLOCK), deviceAttribute(d, ATTR_WARP_SIZE),
                deviceAttribute(d, ATTR_MEMORY_CLOCK_RATE), deviceAttribute(d, ATTR_GLOBAL_MEMORY_BUS_WIDTH));
    }

    /** All devices, in ordinal order. */
    public List<CudaDevice> devices() {
        List<CudaDevice> out = new ArrayList<>();
        for (int i = 0, n = deviceCount(); i < n; i++) {
            out.add(describeDevice(i));
        }
        return out;
    }

    // ---------------------------------------------------------------- contexts

    /** Retains the device's primary context ({@code cuDevicePrimaryCtxRetain}); returns the {@code CUcontext}. */
    public long retainPrimaryContext(int device) {
        return readAddress("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain, device);
    }

    public void releasePrimaryContext(int device) {
        check("cuDevicePrimaryCtxRelease", call(cuDevicePrimaryCtxRelease, device));
    }

    /** Binds {@code context} to the calling thread. */
    public void setCurrentContext(long context) {
        check("cuCtxSetCurrent", call(cuCtxSetCurrent, handle(context)));
    }

    public void synchronizeContext() {
        check("cuCtxSynchronize", call(cuCtxSynchronize));
    }

    // ---------------------------------------------------------------- memory

    /** {@code cuMemAlloc}: {@code bytes} of device memory; returns the {@code CUdeviceptr}. */
    public long allocate(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuMemAlloc", call(cuMemAlloc, out, Math.max(1, bytes)));
            return out.get(JAVA_LONG, 0);
        }
    }

    public void free(long devicePointer) {
        check("cuMemFree", call(cuMemFree, devicePointer));
    }

    /** Copies {@code host} (all of it) to device memory at {@code devicePointer}. */
    public void copyToDevice(long devicePointer, MemorySegment host) {
        check("cuMemcpyHtoD", call(cuMemcpyHtoD, devicePointer, host, host.byteSize()));
    }

    /** Copies {@code host.byteSize()} bytes at {@code devicePointer} into {@code host}. */
    public void copyToHost(MemorySegment host, long devicePointer) {
        check("cuMemcpyDtoH", call(cuMemcpyDtoH, host, devicePointer, host.byteSize()));
    }

    /** Asynchronous host-to-device copy on {@code stream}; {@code host} must stay alive until it completes. */
    public void copyToDeviceAsync(long devicePointer, MemorySegment host, long stream) {
        check("cuMemcpyHtoDAsync", call(cuMemcpyHtoDAsync, devicePointer, host, host.byteSize(), handle(stream)));
    }

    public void copyToHostAsync(MemorySegment host, long devicePointer, long stream) {
        check("cuMemcpyDtoHAsync", call(cuMemcpyDtoHAsync, host, devicePointer, host.byteSize(), handle(stream)));
    }

    // ---------------------------------------------------------------- modules and launches

    /** A JIT-compiled module and what the JIT said about it. */
    public record LoadedModule(long handle, String infoLog) {
    }

    /**
     * JIT-compiles and loads a PTX module ({@code cuModuleLoadDataEx} with the info and error log
     * buffers). A failed load throws a {@link CudaException} whose message carries the JIT's error log.
     */
    public LoadedModule loadModule(String ptx) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocateFrom(ptx, StandardCharsets.UTF_8);
            MemorySegment infoLog = arena.allocate(JIT_LOG_BYTES);
            MemorySegment errorLog = arena.allocate(JIT_LOG_BYTES);
            int[] keys = {JIT_INFO_LOG_BUFFER, JIT_INFO_LOG_BUFFER_SIZE_BYTES, JIT_ERROR_LOG_BUFFER,
                    JIT_ERROR_LOG_BUFFER_SIZE_BYTES, JIT_LOG_VERBOSE};
            MemorySegment options = arena.allocateFrom(JAVA_INT, keys);
            // option values are pointer-sized: buffers by address, sizes and flags by value
            MemorySegment values = arena.allocate(ADDRESS, keys.length);
            values.setAtIndex(ADDRESS, 0, infoLog);
            values.setAtIndex(JAVA_LONG, 1, JIT_LOG_BYTES);
            values.setAtIndex(ADDRESS, 2, errorLog);
            values.setAtIndex(JAVA_LONG, 3, JIT_LOG_BYTES);
            values.setAtIndex(JAVA_LONG, 4, 1);
            MemorySegment out = arena.allocate(ADDRESS);
            int result = call(cuModuleLoadDataEx, out, image, keys.length, options, values);
            String info = infoLog.getString(0);
            if (result != 0) {
                String error = errorLog.getString(0);
                check("cuModuleLoadDataEx", result, "JIT error log:\n" + error + (info.isBlank() ? "" : "\nJIT info log:\n" + info));
            }
            return new LoadedModule(out.get(ADDRESS, 0).address(), info);
        }
    }

    public void unloadModule(long module) {
        check("cuModuleUnload", call(cuModuleUnload, handle(module)));
    }

    /** The {@code CUfunction} of entry {@code name} in {@code module}. */
    public long function(long module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")",
                    call(cuModuleGetFunction, out, handle(module), arena.allocateFrom(name)));
            return out.get(ADDRESS, 0).address();
        }
    }

    /**
     * {@code cuLaunchKernel}: {@code kernelParams} is a native array of pointers, one to each
     * argument's value ({@link #kernelParams}); {@code stream} 0 is the context's default stream.
     */
    public void launch(long function, int[] grid, int[] block, int sharedMemoryBytes, long stream,
                       MemorySegment kernelParams) {
        check("cuLaunchKernel", call(cuLaunchKernel, handle(function), grid[0], grid[1], grid[2], block[0], block[1],
                block[2], sharedMemoryBytes, handle(stream), kernelParams, MemorySegment.NULL));
    }

    /** The {@code void**} for {@link #launch}: one pointer to each argument value segment. */
    public static MemorySegment kernelParams(Arena arena, List<MemorySegment> values) {
        MemorySegment params = arena.allocate(ADDRESS, Math.max(1, values.size()));
        for (int i = 0; i < values.size(); i++) {
            params.setAtIndex(ADDRESS, i, values.get(i));
        }
        return params;
    }

    // ---------------------------------------------------------------- streams and events

    public long createStream() {
        return readAddress("cuStreamCreate", cuStreamCreate, 0);
    }

    public void synchronizeStream(long stream) {
        check("cuStreamSynchronize", call(cuStreamSynchronize, handle(stream)));
    }

    public void destroyStream(long stream) {
        check("cuStreamDestroy", call(cuStreamDestroy, handle(stream)));
    }

    public long createEvent() {
        return readAddress("cuEventCreate", cuEventCreate, 0);
    }

    public void recordEvent(long event, long stream) {
        check("cuEventRecord", call(cuEventRecord, handle(event), handle(stream)));
    }

    public void synchronizeEvent(long event) {
        check("cuEventSynchronize", call(cuEventSynchronize, handle(event)));
    }

    /** Milliseconds between two recorded, completed events. */
    public float elapsedMillis(long start, long end) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_FLOAT);
            check("cuEventElapsedTime", call(cuEventElapsedTime, out, handle(start), handle(end)));
            return out.get(JAVA_FLOAT, 0);
        }
    }

    public void destroyEvent(long event) {
        check("cuEventDestroy", call(cuEventDestroy, handle(event)));
    }
}
