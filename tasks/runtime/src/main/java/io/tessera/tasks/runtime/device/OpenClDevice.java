package io.tessera.tasks.runtime.device;

/**
 * A discovered OpenCL device with the handles and facts the OpenCL backend needs.
 *
 * @param baseAddressAlignment CL_DEVICE_MEM_BASE_ADDR_ALIGN in bytes: host memory aligned to it can
 *                             back a buffer without a copy (CL_MEM_USE_HOST_PTR)
 */
public record OpenClDevice(DeviceInfo info, long platform, long device, String platformName,
                           String version, boolean cpu, int baseAddressAlignment) {
}
