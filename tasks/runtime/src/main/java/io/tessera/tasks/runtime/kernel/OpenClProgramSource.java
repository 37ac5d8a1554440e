package io.tessera.tasks.runtime.kernel;

import java.util.List;
import java.util.Objects;

/**
 * OpenCL C source holding one kernel entry point named {@code kernelName}, and what to bind to
 * each of its arguments, in order.
 */
public record OpenClProgramSource(String kernelName, String source, List<Argument> arguments) {
    public OpenClProgramSource {
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(source, "source");
        arguments = List.copyOf(arguments);
    }

    /** One kernel argument, taken from Java parameter {@code parameter()}. */
    public sealed interface Argument {
        int parameter();

        /** The parameter itself: a typed array's buffer, or a scalar by value (boolean as int 0/1). */
        record Value(int parameter) implements Argument {
        }

        /** The element count of a typed-array parameter, as an OpenCL {@code long}. */
        record Length(int parameter) implements Argument {
        }
    }
}
