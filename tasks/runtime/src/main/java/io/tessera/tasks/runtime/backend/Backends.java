package io.tessera.tasks.runtime.backend;

import io.tessera.tasks.runtime.cuda.CudaBackend;
import io.tessera.tasks.runtime.device.DeviceInfo;
import io.tessera.tasks.runtime.device.Devices;
import io.tessera.tasks.runtime.jvm.JvmBackend;
import io.tessera.tasks.runtime.opencl.ClTarget;
import io.tessera.tasks.runtime.opencl.OpenClBackend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One backend instance per device for the life of the process, so compiled programs are shared. */
public final class Backends {
    private Backends() {
    }

    private static final Map<String, DeviceBackend> BACKENDS = new ConcurrentHashMap<>();

    public static DeviceBackend of(String selector) {
        return BACKENDS.computeIfAbsent(selector, s -> create(Devices.select(s)));
    }

    private static DeviceBackend create(DeviceInfo device) {
        return switch (device.backend()) {
            case "jvm" -> new JvmBackend(device);
            case "opencl" -> new OpenClBackend(device, Devices.openCl(device).orElseThrow());
            case "spirv" -> device.spirvIngestion()
                    ? new OpenClBackend(device, Devices.openCl(device).orElseThrow(), ClTarget.SPIRV_IL, null)
                    : new OpenClBackend(device, Devices.openCl(device).orElseThrow(), ClTarget.SPIRV_VIA_SPIR12,
                            Devices.spirvTranslator().orElseThrow());
            case "cuda" -> CudaBackend.open(device);
            default -> throw new UnsupportedBackendException(device.selector(), "no backend runs "
                    + device.backend() + " devices");
        };
    }
}
