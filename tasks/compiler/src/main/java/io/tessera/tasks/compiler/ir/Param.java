package io.tessera.tasks.compiler.ir;

import io.tessera.tasks.api.TypedArray.ElementType;
import java.io.Serializable;
import java.util.Objects;

/** A parameter of a kernel or helper function, in Java order. */
public sealed interface Param extends Serializable {

    String name();

    /** A typed array: {@code FloatArray} is F32, {@code HalfArray} F16, {@code ByteArray} I8, ... */
    record ArrayParam(String name, ElementType element) implements Param {
        public ArrayParam {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(element, "element");
        }

        /** The simple name of the typed-array class. */
        public String javaType() {
            return switch (element) {
                case F32 -> "FloatArray";
                case F16 -> "HalfArray";
                case BF16 -> "BFloat16Array";
                case I8 -> "ByteArray";
                case I32 -> "IntArray";
                case I64 -> "LongArray";
            };
        }
    }

    /** A primitive value. */
    record ScalarParam(String name, ScalarType type) implements Param {
        public ScalarParam {
            Objects.requireNonNull(name, "name");
            if (type == null || type == ScalarType.VOID) {
                throw new IllegalArgumentException("parameter " + name + " has no value type");
            }
        }
    }

    /** The {@code KernelContext} of an explicit kernel; back ends map its methods to built-ins. */
    record ContextParam(String name) implements Param {
        public ContextParam {
            Objects.requireNonNull(name, "name");
        }
    }
}
