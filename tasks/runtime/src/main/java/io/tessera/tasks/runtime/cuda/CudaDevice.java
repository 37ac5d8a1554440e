package io.tessera.tasks.runtime.cuda;

/**
 * What the driver reports about one device.
 *
 * @param computeCapability major * 10 + minor, e.g. 90 for sm_90
 * @param memoryClockKHz    peak memory clock; with {@code memoryBusWidthBits} it gives the peak bandwidth
 */
public record CudaDevice(int ordinal, String name, long totalMemoryBytes, int computeCapability,
                         int multiprocessors, int maxThreadsPerBlock, int sharedMemoryPerBlockBytes,
                         int warpSize, int memoryClockKHz, int memoryBusWidthBits) {

    /** {@code cuda:N}, as device selectors name it. */
    public String selector() {
        return "cuda:" + ordinal;
    }

    /** Peak DRAM bandwidth in bytes per second: 2 transfers per clock over the bus width (0 when unknown). */
    public double peakBandwidthBytesPerSecond() {
        return 2.0 * memoryClockKHz * 1000.0 * memoryBusWidthBits / 8.0;
    }
}
