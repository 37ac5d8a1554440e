package io.tessera.tasks.runtime.kernel;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the backends need to know about one kernel beyond its Java method: its parallel structure,
 * where it is in the source, and its code for each target.
 */
public interface KernelModel {
    Method method();

    /** Index of the KernelContext parameter, or -1 for a loop-parallel kernel. */
    default int contextParameter() {
        Class<?>[] types = method().getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == io.tessera.tasks.api.KernelContext.class) {
                return i;
            }
        }
        return -1;
    }

    /** True when the kernel waits at work-group barriers. */
    boolean hasBarriers();

    /** Iterations of each parallel dimension (outermost first) for these arguments; empty when none. */
    long[] parallelIterations(Object[] args);

    /** {@code File.java:line} of the kernel's declaration, or null when not known. */
    String sourceLocation();

    /** OpenCL C for the kernel with the given scalar parameters (by index) folded as constants. */
    OpenClProgramSource openCl(Map<Integer, Object> constants);

    /** The generated {@code (args..., from, to)} JVM form, when a generator is available. */
    Optional<SlicedKernel> jvmSlices();

    /** Parameter indices of the arrays the kernel may write; by default every array parameter. */
    default Set<Integer> writtenParameters() {
        return KernelModels.arrayParameters(method());
    }

    default String name() {
        return method().getDeclaringClass().getName() + "::" + method().getName();
    }
}
