package io.tessera.tasks.runtime.kernel;

import java.util.Objects;

/** OpenCL C source holding one kernel entry point named {@code kernelName}. */
public record OpenClProgramSource(String kernelName, String source) {
    public OpenClProgramSource {
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(source, "source");
    }
}
