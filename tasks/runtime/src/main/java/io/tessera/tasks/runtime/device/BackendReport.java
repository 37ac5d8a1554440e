package io.tessera.tasks.runtime.device;

import java.util.List;
import java.util.Objects;

/**
 * What discovery found for one backend ({@code jvm}, {@code opencl}, {@code cuda}, {@code spirv}):
 * its devices, or why it is unavailable ({@code reason} is null when available).
 */
public record BackendReport(String backend, boolean available, String reason, List<DeviceInfo> devices) {
    public BackendReport {
        Objects.requireNonNull(backend, "backend");
        devices = List.copyOf(devices);
        if (available == (reason != null)) {
            throw new IllegalArgumentException("a backend has a reason exactly when it is unavailable");
        }
    }

    static BackendReport available(String backend, List<DeviceInfo> devices) {
        return new BackendReport(backend, true, null, devices);
    }

    static BackendReport unavailable(String backend, String reason) {
        return new BackendReport(backend, false, Objects.requireNonNull(reason, "reason"), List.of());
    }

    public String describe() {
        StringBuilder out = new StringBuilder(backend).append(": ");
        if (!available) {
            return out.append("unavailable (").append(reason).append(")\n").toString();
        }
        out.append(devices.size()).append(devices.size() == 1 ? " device\n" : " devices\n");
        devices.forEach(d -> out.append("  ").append(d.describe()).append('\n'));
        return out.toString();
    }
}
