package io.tessera.tasks.runtime.device;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A discovered OpenCL device with the handles and facts the OpenCL backend needs.
 *
 * @param version              CL_DEVICE_VERSION, e.g. {@code OpenCL 3.0 PoCL ...}
 * @param baseAddressAlignment CL_DEVICE_MEM_BASE_ADDR_ALIGN in bytes: host memory aligned to it can
 *                             back a buffer without a copy (CL_MEM_USE_HOST_PTR)
 * @param spir12               the device builds SPIR 1.2 binaries ({@code cl_khr_spir})
 */
public record OpenClDevice(DeviceInfo info, long platform, long device, String platformName,
                           String version, boolean cpu, int baseAddressAlignment, boolean spir12) {
    private static final Pattern VERSION = Pattern.compile("OpenCL (\\d+)\\.(\\d+)");

    /** The OpenCL version the device reports, major * 10 + minor (12 for 1.2); 10 when unreadable. */
    public int openClVersion() {
        Matcher m = VERSION.matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2)) : 10;
    }
}
