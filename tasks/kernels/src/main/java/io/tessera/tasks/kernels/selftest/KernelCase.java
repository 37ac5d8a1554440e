package io.tessera.tasks.kernels.selftest;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.tessera.tasks.api.KernelContext;
import io.tessera.tasks.api.WorkerGrid;

/**
 * One kernel of the library with the shapes it is checked at and how to build its arguments.
 *
 * @param kernel    the {@code @Kernel} method
 * @param shapes    named size sets; each builds one argument list
 * @param tolerance largest normalised mean squared error accepted against the JVM reference
 */
public record KernelCase(Method kernel, List<Shape> shapes, double tolerance) {

    public KernelCase {
        Objects.requireNonNull(kernel, "kernel");
        shapes = List.copyOf(shapes);
    }

    /** {@code Class.method} of the kernel. */
    public String name() {
        return kernel.getDeclaringClass().getSimpleName() + "." + kernel.getName();
    }

    /** True when the kernel takes a {@link KernelContext}: its reference is the JVM backend's run. */
    public boolean explicit() {
        return Arrays.asList(kernel.getParameterTypes()).contains(KernelContext.class);
    }

    /**
     * Sizes of one check.
     *
     * @param label     shown in reports, such as {@code n=33}
     * @param arguments builds the arguments from seeded inputs; a {@code KernelContext} parameter
     *                  takes {@code TaskGraph.KERNEL_CONTEXT}
     * @param grid      the grid to launch with, or null to let the runtime choose
     */
    public record Shape(String label, Function<CaseInputs, Object[]> arguments, WorkerGrid grid) {
        public Shape(String label, Function<CaseInputs, Object[]> arguments) {
            this(label, arguments, null);
        }
    }
}
