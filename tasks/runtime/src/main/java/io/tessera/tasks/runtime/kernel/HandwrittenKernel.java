package io.tessera.tasks.runtime.kernel;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kernel whose OpenCL C is written by hand rather than generated from its IR (prebuilt kernels,
 * vendor code). Constant folding does not apply to it: every parameter but the KernelContext is a
 * kernel argument, in Java order.
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
        List<OpenClProgramSource.Argument> arguments = new ArrayList<>();
        for (int i = 0; i < method.getParameterCount(); i++) {
            if (i != contextParameter()) {
                arguments.add(new OpenClProgramSource.Argument.Value(i));
            }
        }
        return new OpenClProgramSource(kernelName, openClSource, arguments);
    }

    @Override
    public Optional<SlicedKernel> jvmSlices() {
        return Optional.empty();
    }
}
