package io.tessera.tasks.runtime.device;

import static org.lwjgl.opencl.CL10.*;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;

/** Lists OpenCL platforms and devices through LWJGL and the system's ICD loader. */
final class OpenClProbe {
    private OpenClProbe() {
    }

    private static final int CL_DEVICE_DOUBLE_FP_CONFIG = 0x1032;
    private static final int CL_DEVICE_IL_VERSION = 0x105B;

    record Result(BackendReport report, List<OpenClDevice> devices) {
    }

    static Result probe() {
        if (OpenClLoader.configure().isEmpty()) {
            return unavailable("no OpenCL ICD loader found (" + String.join(", ", OpenClLoader.CANDIDATES) + ")");
        }
        try {
            return probeLoaded();
        } catch (LinkageError | IllegalStateException e) {
            // LWJGL throws while loading libOpenCL.so when no ICD loader is installed.
            return unavailable("the OpenCL ICD loader could not be used: " + message(e));
        } catch (OpenClException e) {
            return unavailable(e.getMessage());
        }
    }

    private static Result unavailable(String reason) {
        return new Result(BackendReport.unavailable("opencl", reason), List.of());
    }

    private static Result probeLoaded() {
        List<OpenClDevice> devices = new ArrayList<>();
        List<Long> platforms = platforms();
        if (platforms.isEmpty()) {
            return unavailable("the OpenCL ICD loader found no platforms (no OpenCL driver installed)");
        }
        List<String> shortNames = new ArrayList<>();
        for (long platform : platforms) {
            String platformName = ClQuery.platformString(platform, CL_PLATFORM_NAME);
            String shortName = PlatformNames.shortName(platformName);
            int sameBefore = (int) shortNames.stream().filter(shortName::equals).count();
            shortNames.add(shortName);
            String key = sameBefore == 0 ? shortName : shortName + sameBefore;
            List<Long> ids = deviceIds(platform);
            for (int k = 0; k < ids.size(); k++) {
                devices.add(describe(platform, platformName, ids.get(k), devices.size(), key, k));
            }
        }
        if (devices.isEmpty()) {
            return unavailable("no OpenCL platform exposes a device (platforms: "
                    + platforms.stream().map(p -> ClQuery.platformString(p, CL_PLATFORM_NAME)).toList()
                    + "; Mesa rusticl needs RUSTICL_ENABLE, e.g. RUSTICL_ENABLE=llvmpipe)");
        }
        return new Result(BackendReport.available("opencl", devices.stream().map(OpenClDevice::info).toList()),
                devices);
    }

    private static OpenClDevice describe(long platform, String platformName, long device, int index,
                                         String platformKey, int indexInPlatform) {
        String extensions = ClQuery.deviceString(device, CL_DEVICE_EXTENSIONS);
        List<String> extensionList = List.of(extensions.split("\\s+"));
        String il = ClQuery.deviceString(device, CL_DEVICE_IL_VERSION);
        boolean spirv = il.contains("SPIR-V") || extensionList.contains("cl_khr_il_program");
        boolean fp64 = extensionList.contains("cl_khr_fp64") || doubleConfig(device) != 0;
        boolean fp16 = extensionList.contains("cl_khr_fp16");
        boolean cpu = (ClQuery.deviceLong(device, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_CPU) != 0;
        List<String> aliases = new ArrayList<>();
        if (indexInPlatform == 0) {
            aliases.add("opencl:" + platformKey);
        }
        aliases.add("opencl:" + platformKey + ":" + indexInPlatform);
        List<String> targets = spirv ? List.of("opencl-c", "spirv") : List.of("opencl-c");
        DeviceInfo info = new DeviceInfo("opencl:" + index, aliases, "opencl",
                ClQuery.deviceString(device, CL_DEVICE_NAME), ClQuery.deviceString(device, CL_DEVICE_VENDOR),
                ClQuery.deviceString(device, CL_DRIVER_VERSION),
                ClQuery.deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
                ClQuery.deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                ClQuery.deviceLong(device, CL_DEVICE_LOCAL_MEM_SIZE),
                ClQuery.deviceLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                (int) Math.min(Integer.MAX_VALUE, ClQuery.deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE)),
                fp16, fp64, spirv, targets);
        int alignBits = ClQuery.deviceInt(device, CL_DEVICE_MEM_BASE_ADDR_ALIGN);
        return new OpenClDevice(info, platform, device, platformName,
                ClQuery.deviceString(device, CL_DEVICE_VERSION), cpu, Math.max(1, alignBits / 8),
                extensionList.contains("cl_khr_spir"));
    }

    private static long doubleConfig(long device) {
        try {
            return ClQuery.deviceLong(device, CL_DEVICE_DOUBLE_FP_CONFIG);
        } catch (OpenClException e) {
            return 0; // OpenCL 1.0/1.1 devices without the query
        }
    }

    private static List<Long> platforms() {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            int status = clGetPlatformIDs(null, count);
            if (status == -1001 || (status == 0 && count.get(0) == 0)) {
                return List.of();
            }
            OpenClException.check("clGetPlatformIDs", status);
            PointerBuffer ids = stack.mallocPointer(count.get(0));
            OpenClException.check("clGetPlatformIDs", clGetPlatformIDs(ids, (IntBuffer) null));
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < ids.capacity(); i++) {
                out.add(ids.get(i));
            }
            return out;
        }
    }

    private static List<Long> deviceIds(long platform) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            int status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, null, count);
            if (status == CL_DEVICE_NOT_FOUND || (status == 0 && count.get(0) == 0)) {
                return List.of();
            }
            OpenClException.check("clGetDeviceIDs", status);
            PointerBuffer ids = stack.mallocPointer(count.get(0));
            OpenClException.check("clGetDeviceIDs", clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids, (IntBuffer) null));
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < ids.capacity(); i++) {
                out.add(ids.get(i));
            }
            return out;
        }
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m.lines().findFirst().orElse("").strip();
    }
}
