package io.tessera.tasks.compiler.ir;

import io.tessera.tasks.api.TypedArray.ElementType;
import java.io.Serializable;
import java.util.Objects;

/** What an array load or store addresses: a typed-array parameter or a Java array variable. */
public sealed interface ArrayTarget extends Serializable permits ArrayTarget.Global, ArrayVar {

    String name();

    /** The type a load yields and a store takes. */
    ScalarType valueType();

    /** A typed-array parameter ({@code FloatArray}, {@code HalfArray}, ...) of the enclosing function. */
    record Global(int param, String name, ElementType element) implements ArrayTarget {
        public Global {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(element, "element");
        }

        @Override
        public ScalarType valueType() {
            return valueTypeOf(element);
        }
    }

    /** The type in which a typed array of {@code element} is read and written. */
    static ScalarType valueTypeOf(ElementType element) {
        return switch (element) {
            case F32, F16, BF16 -> ScalarType.F32;
            case I8 -> ScalarType.I8;
            case I32 -> ScalarType.I32;
            case I64 -> ScalarType.I64;
        };
    }
}
