package io.tessera.tasks.runtime.device;

import java.util.Locale;

/** Short, stable names of OpenCL platforms, used in selector aliases such as {@code opencl:pocl}. */
public final class PlatformNames {
    private PlatformNames() {
    }

    public static String shortName(String platformName) {
        String n = platformName.strip();
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.equals("portable computing language") || lower.startsWith("pocl")) {
            return "pocl";
        }
        if (lower.startsWith("rusticl")) {
            return "rusticl";
        }
        if (lower.startsWith("clover")) {
            return "clover";
        }
        if (lower.startsWith("nvidia")) {
            return "nvidia";
        }
        if (lower.startsWith("intel")) {
            return "intel";
        }
        if (lower.startsWith("amd")) {
            return "amd";
        }
        if (lower.startsWith("apple")) {
            return "apple";
        }
        if (lower.startsWith("arm") || lower.contains("mali")) {
            return "arm";
        }
        String first = lower.split("[^a-z0-9]+", 2)[0];
        return first.isEmpty() ? "platform" : first;
    }
}
