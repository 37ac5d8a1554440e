package io.tessera.tasks.compiler.opencl;

import java.util.List;
import java.util.Objects;

/**
 * An OpenCL C 1.2 program holding one kernel.
 *
 * @param kernelName the {@code __kernel} function to create
 * @param source     the program text
 * @param arguments  what to bind to each kernel argument, in order: the Java parameters minus the
 *                   {@code KernelContext} and minus folded constants, then the lengths of the
 *                   typed arrays whose {@code length()} the kernel uses
 */
public record OpenClSource(String kernelName, String source, List<KernelArgument> arguments) {
    public OpenClSource {
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(source, "source");
        arguments = List.copyOf(arguments);
    }

    /** One argument of the emitted kernel. */
    public sealed interface KernelArgument {
        /** Index of the Java parameter this argument comes from. */
        int parameter();

        /** The Java parameter itself: a typed array's buffer or a scalar (boolean as a 4-byte int 0/1). */
        record Value(int parameter, String name) implements KernelArgument {
        }

        /** The element count of typed-array parameter {@code parameter}, as an OpenCL {@code long}. */
        record Length(int parameter, String name) implements KernelArgument {
        }
    }
}
