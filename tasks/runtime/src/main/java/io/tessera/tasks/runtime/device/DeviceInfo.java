package io.tessera.tasks.runtime.device;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One device as discovery sees it. {@code selector} is stable ({@code jvm}, {@code opencl:N},
 * {@code cuda:N}, {@code spirv:N}); {@code aliases} are other names {@link Devices#select} accepts;
 * {@code targets} lists the code the device accepts ({@code jvm}, {@code opencl-c}, {@code ptx},
 * {@code spirv}).
 */
public record DeviceInfo(String selector, List<String> aliases, String backend, String name,
                         String vendor, String driverVersion, int computeUnits, long globalMemoryBytes,
                         long localMemoryBytes, long maxAllocationBytes, int maxWorkGroupSize, boolean fp16,
                         boolean fp64, boolean spirvIngestion, List<String> targets) {
    public DeviceInfo {
        Objects.requireNonNull(selector, "selector");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(backend, "backend");
        targets = List.copyOf(targets);
    }

    /** One line for people: selector, aliases, name and the main limits. */
    public String describe() {
        return String.format(Locale.ROOT, "%-10s %-28s %s | %s | driver %s | %d CU | global %s | local %s"
                        + " | max alloc %s | wg %d | fp16 %s fp64 %s spirv %s | targets %s",
                selector, aliases.isEmpty() ? "" : String.join(",", aliases), name, vendor, driverVersion,
                computeUnits, bytes(globalMemoryBytes), bytes(localMemoryBytes), bytes(maxAllocationBytes),
                maxWorkGroupSize, yes(fp16), yes(fp64), yes(spirvIngestion), String.join(",", targets));
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        }
        return n + " B";
    }
}
