package io.tessera.tasks.api;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

/**
 * One task of a graph: the resolved {@link Kernel} method and its arguments in Java parameter
 * order. The argument of a {@link KernelContext} parameter is {@link TaskGraph#KERNEL_CONTEXT};
 * the runtime supplies the real context.
 */
public record TaskSpec(String graph, String name, Method kernel, List<Object> arguments) {
    public TaskSpec {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kernel, "kernel");
        arguments = List.copyOf(arguments);
    }

    /** The name plans use to address this task: {@code graph.task}. */
    public String qualifiedName() {
        return graph + "." + name;
    }

    /** {@code owner.Class::method}, as errors name the kernel. */
    public String kernelName() {
        return kernel.getDeclaringClass().getName() + "::" + kernel.getName();
    }

    @Override
    public String toString() {
        return qualifiedName() + " = " + kernelName() + arguments;
    }
}
