package io.tessera.tasks.runtime.kernel;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kernel whose OpenCL C is written by hand rather than generated from its IR (prebuilt kernels,
 * vendor code). Constant folding does not apply to it.
 *
 * @param iterations the parallel iteration counts for the given arguments (as
 *                   {@link KernelModel#parallelIterations})
 */
public record HandwrittenKernel(Method method, String kernelName, String openClSource, boolean hasBarriers,
                                Function<Object[], long[]> iterations) implements KernelModel {
    public HandwrittenKernel {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(openClSource, "openClSource");
        Objects.requireNonNull(iterations, "iterations");
    }

    @Override
    public long[] parallelIterations(Object[] args) {
        return iterations.apply(args);
    }

    @Override
    public String sourceLocation() {
        return null;
    }

    @Override
    public OpenClProgramSource openCl(Map<Integer, Object> constants) {
        return new OpenClProgramSource(kernelName, openClSource);
    }

    @Override
    public Optional<SlicedKernel> jvmSlices() {
        return Optional.empty();
    }
}
