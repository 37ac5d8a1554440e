package io.tessera.tasks.api;

/**
 * One kernel launch. Timestamps are the device's clock in nanoseconds (OpenCL event profiling:
 * queued, submitted, started, ended); on the JVM they come from {@link System#nanoTime()}.
 */
public record TaskProfile(String task, String device, long queuedNanos, long submitNanos,
                          long startNanos, long endNanos) {

    /** Time the kernel ran on the device. */
    public long kernelNanos() {
        return endNanos - startNanos;
    }

    /** Time from enqueue to start: launch overhead and waiting for earlier commands. */
    public long waitNanos() {
        return startNanos - queuedNanos;
    }

    String json() {
        return "{\"task\":" + Json.string(task) + ",\"device\":" + Json.string(device)
                + ",\"kernelNanos\":" + kernelNanos() + ",\"waitNanos\":" + waitNanos()
                + ",\"queued\":" + queuedNanos + ",\"submit\":" + submitNanos
                + ",\"start\":" + startNanos + ",\"end\":" + endNanos + "}";
    }
}
