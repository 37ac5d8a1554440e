package io.tessera.tasks.compiler.plugin;

import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.ScalarType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.element.TypeElement;

/** Maps javac's types onto the IR's. */
final class TypeMapping {
    static final String API = "io.tessera.tasks.api.";
    static final String KERNEL_CONTEXT = API + "KernelContext";

    private TypeMapping() {
    }

    /** The IR type of a primitive (or void) Java type, or null for any other type. */
    static ScalarType scalar(TypeMirror type) {
        if (type == null) {
            return null;
        }
        return switch (type.getKind()) {
            case BOOLEAN -> ScalarType.BOOL;
            case BYTE -> ScalarType.I8;
            case SHORT -> ScalarType.I16;
            case INT -> ScalarType.I32;
            case LONG -> ScalarType.I64;
            case FLOAT -> ScalarType.F32;
            case DOUBLE -> ScalarType.F64;
            case VOID -> ScalarType.VOID;
            default -> null;
        };
    }

    /** The qualified name of a declared type, or null. */
    static String className(TypeMirror type) {
        if (type instanceof DeclaredType d && d.asElement() instanceof TypeElement t) {
            return t.getQualifiedName().toString();
        }
        return null;
    }

    /** The element type of a typed-array class of tasks/api, or null. */
    static ElementType typedArray(TypeMirror type) {
        String name = className(type);
        if (name == null || !name.startsWith(API)) {
            return null;
        }
        return switch (name.substring(API.length())) {
            case "FloatArray" -> ElementType.F32;
            case "HalfArray" -> ElementType.F16;
            case "BFloat16Array" -> ElementType.BF16;
            case "ByteArray" -> ElementType.I8;
            case "IntArray" -> ElementType.I32;
            case "LongArray" -> ElementType.I64;
            default -> null;
        };
    }

    static boolean isContext(TypeMirror type) {
        return KERNEL_CONTEXT.equals(className(type));
    }
}
