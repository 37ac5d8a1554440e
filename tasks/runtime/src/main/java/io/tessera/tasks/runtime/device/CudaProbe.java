package io.tessera.tasks.runtime.device;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes the CUDA driver API through FFM: {@code cuInit}, {@code cuDeviceGetCount}, names, memory
 * and attributes. Only the driver library ({@code libcuda.so.1}) is needed, not the toolkit.
 * Native access is the point of this class, hence the restricted FFM methods.
 */
@SuppressWarnings("restricted")
final class CudaProbe {
    private CudaProbe() {
    }

    static final String LIBRARY = "libcuda.so.1";

    // CUdevice_attribute values from cuda.h
    private static final int MAX_THREADS_PER_BLOCK = 1;
    private static final int MAX_SHARED_MEMORY_PER_BLOCK = 8;
    private static final int MULTIPROCESSOR_COUNT = 16;
    private static final int COMPUTE_CAPABILITY_MAJOR = 75;
    private static final int COMPUTE_CAPABILITY_MINOR = 76;

    static BackendReport probe() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup library;
            try {
                library = SymbolLookup.libraryLookup(LIBRARY, arena);
            } catch (IllegalArgumentException e) {
                return BackendReport.unavailable("cuda", LIBRARY + " not found (no NVIDIA driver)");
            }
            return new Driver(library, arena).report();
        } catch (CudaProbeException e) {
            return BackendReport.unavailable("cuda", e.getMessage());
        } catch (IllegalCallerException e) {
            return BackendReport.unavailable("cuda", "native access is not enabled (--enable-native-access)");
        }
    }

    /** The few driver entry points discovery uses. */
    private static final class Driver {
        private final SymbolLookup library;
        private final Arena arena;
        private final Linker linker = Linker.nativeLinker();

        Driver(SymbolLookup library, Arena arena) {
            this.library = library;
            this.arena = arena;
        }

        BackendReport report() {
            int status = call("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT), 0);
            if (status != 0) {
                return BackendReport.unavailable("cuda", "cuInit failed: " + errorName(status));
            }
            MemorySegment intOut = arena.allocate(JAVA_INT);
            check("cuDriverGetVersion", call("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS), intOut));
            int version = intOut.get(JAVA_INT, 0);
            check("cuDeviceGetCount", call("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS), intOut));
            int count = intOut.get(JAVA_INT, 0);
            if (count == 0) {
                return BackendReport.unavailable("cuda", "the CUDA driver reports no devices");
            }
            List<DeviceInfo> devices = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                devices.add(device(i, version));
            }
            return BackendReport.available("cuda", devices);
        }

        private DeviceInfo device(int ordinal, int driverVersion) {
            MemorySegment intOut = arena.allocate(JAVA_INT);
            check("cuDeviceGet", call("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), intOut, ordinal));
            int device = intOut.get(JAVA_INT, 0);
            MemorySegment name = arena.allocate(256);
            check("cuDeviceGetName", call("cuDeviceGetName",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), name, 256, device));
            MemorySegment bytes = arena.allocate(JAVA_LONG);
            check("cuDeviceTotalMem", call("cuDeviceTotalMem_v2",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), bytes, device));
            int major = attribute(COMPUTE_CAPABILITY_MAJOR, device);
            int minor = attribute(COMPUTE_CAPABILITY_MINOR, device);
            long total = bytes.get(JAVA_LONG, 0);
            String driver = "CUDA " + driverVersion / 1000 + "." + (driverVersion % 1000) / 10 + ", sm_" + major + minor;
            return new DeviceInfo("cuda:" + ordinal, ordinal == 0 ? List.of("cuda") : List.of(), "cuda",
                    name.getString(0), "NVIDIA", driver, attribute(MULTIPROCESSOR_COUNT, device), total,
                    attribute(MAX_SHARED_MEMORY_PER_BLOCK, device), total, attribute(MAX_THREADS_PER_BLOCK, device),
                    major * 10 + minor >= 53, true, false, List.of("ptx"));
        }

        private int attribute(int attribute, int device) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDeviceGetAttribute", call("cuDeviceGetAttribute",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), out, attribute, device));
            return out.get(JAVA_INT, 0);
        }

        private String errorName(int status) {
            MemorySegment text = arena.allocate(ADDRESS);
            if (library.find("cuGetErrorName").isPresent()
                    && call("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), status, text) == 0
                    && !text.get(ADDRESS, 0).equals(MemorySegment.NULL)) {
                return text.get(ADDRESS, 0).reinterpret(256).getString(0);
            }
            return "CUresult " + status;
        }

        private void check(String function, int status) {
            if (status != 0) {
                throw new CudaProbeException(function + " failed: " + errorName(status));
            }
        }

        private int call(String function, FunctionDescriptor descriptor, Object... args) {
            MemorySegment symbol = library.find(function).orElseThrow(() ->
                    new CudaProbeException(LIBRARY + " has no symbol " + function));
            MethodHandle handle = linker.downcallHandle(symbol, descriptor);
            try {
                return (int) handle.invokeWithArguments(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new CudaProbeException(function + ": " + e);
            }
        }
    }

    /** A driver call that failed after cuInit succeeded. */
    static final class CudaProbeException extends RuntimeException {
        CudaProbeException(String message) {
            super(message);
        }
    }
}
