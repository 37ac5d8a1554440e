package io.tessera.tasks.runtime.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.compiler.ptx.KernelSignature;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The values of a PTX kernel's parameters, in its signature's order, each in its own native
 * segment for {@code cuLaunchKernel}: device pointers and element counts as 64-bit integers,
 * scalars by value, booleans as 32-bit 0 or 1.
 */
final class CudaArguments {
    private CudaArguments() {
    }

    /**
     * @param devicePointer the device pointer of the typed array of a parameter index
     * @param kernel        the kernel's name, for messages
     */
    static List<MemorySegment> pack(Arena arena, KernelSignature signature, Object[] args,
                                    IntToLongFunction devicePointer, String kernel) {
        List<MemorySegment> values = new ArrayList<>();
        for (KernelSignature.Argument a : signature.arguments()) {
            Object arg = args[a.param()];
            values.add(switch (a) {
                case KernelSignature.ArrayArgument x -> {
                    typedArray(kernel, x.name(), arg);
                    yield arena.allocateFrom(JAVA_LONG, devicePointer.applyAsLong(x.param()));
                }
                case KernelSignature.LengthArgument x ->
                        arena.allocateFrom(JAVA_LONG, typedArray(kernel, x.name(), arg).length());
                case KernelSignature.ScalarArgument x -> scalar(arena, kernel, x, arg);
            });
        }
        return values;
    }

    static TypedArray typedArray(String kernel, String name, Object arg) {
        if (!(arg instanceof TypedArray a)) {
            throw new IllegalArgumentException("kernel " + kernel + ": argument " + name
                    + " is not a typed array but " + (arg == null ? "null" : arg.getClass().getSimpleName()));
        }
        return a;
    }

    static MemorySegment scalar(Arena arena, String kernel, KernelSignature.ScalarArgument x, Object arg) {
        try {
            return switch (x.type()) {
                case BOOL -> arena.allocateFrom(JAVA_INT, (Boolean) arg ? 1 : 0);
                case I8, I16, I32 -> arena.allocateFrom(JAVA_INT, ((Number) arg).intValue());
                case I64 -> arena.allocateFrom(JAVA_LONG, ((Number) arg).longValue());
                case F32 -> arena.allocateFrom(JAVA_FLOAT, (Float) arg);
                case F64 -> arena.allocateFrom(JAVA_DOUBLE, (Double) arg);
                case VOID -> throw new IllegalArgumentException("kernel " + kernel + ": void argument " + x.name());
            };
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("kernel " + kernel + ": argument " + x.name() + " of type "
                    + x.type().javaName() + " is " + arg, e);
        }
    }
}
