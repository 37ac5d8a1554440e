package io.tessera.tasks.api;

/**
 * One kernel launch. With {@code deviceClock} the timestamps are the device's clock in nanoseconds
 * (OpenCL event profiling: queued, submitted, started, ended); otherwise they come from
 * {@link System#nanoTime()} around the launch: on the JVM, and on drivers whose event profiling
 * gives no usable times (Mesa rusticl 22 reports 0, 1, 2, 3).
 */
public record TaskProfile(String task, String device, long queuedNanos, long submitNanos,
                          long startNanos, long endNanos, boolean deviceClock) {

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
                + ",\"clock\":" + (deviceClock ? "\"device\"" : "\"host\"")
                + ",\"kernelNanos\":" + kernelNanos() + ",\"waitNanos\":" + waitNanos()
                + ",\"queued\":" + queuedNanos + ",\"submit\":" + submitNanos
                + ",\"start\":" + startNanos + ",\"end\":" + endNanos + "}";
    }
}
