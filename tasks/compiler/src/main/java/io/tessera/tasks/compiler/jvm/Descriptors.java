package io.tessera.tasks.compiler.jvm;

import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

/** JVM descriptors and type kinds of IR types. */
final class Descriptors {
    private Descriptors() {
    }

    static ClassDesc of(ScalarType type) {
        return switch (type) {
            case VOID -> ConstantDescs.CD_void;
            case BOOL -> ConstantDescs.CD_boolean;
            case I8 -> ConstantDescs.CD_byte;
            case I16 -> ConstantDescs.CD_short;
            case I32 -> ConstantDescs.CD_int;
            case I64 -> ConstantDescs.CD_long;
            case F32 -> ConstantDescs.CD_float;
            case F64 -> ConstantDescs.CD_double;
        };
    }

    /** The kind of a value on the operand stack or in a local slot (byte, short, boolean are ints). */
    static TypeKind kind(ScalarType type) {
        return switch (type) {
            case VOID -> TypeKind.VOID;
            case BOOL, I8, I16, I32 -> TypeKind.INT;
            case I64 -> TypeKind.LONG;
            case F32 -> TypeKind.FLOAT;
            case F64 -> TypeKind.DOUBLE;
        };
    }

    /** The kind of an element of a Java array of {@code type}. */
    static TypeKind arrayKind(ScalarType type) {
        return switch (type) {
            case BOOL -> TypeKind.BOOLEAN;
            case I8 -> TypeKind.BYTE;
            case I16 -> TypeKind.SHORT;
            default -> kind(type);
        };
    }

    static ClassDesc typedArray(ElementType element) {
        return ClassDesc.of("io.tessera.tasks.api", switch (element) {
            case F32 -> "FloatArray";
            case F16 -> "HalfArray";
            case BF16 -> "BFloat16Array";
            case I8 -> "ByteArray";
            case I32 -> "IntArray";
            case I64 -> "LongArray";
        });
    }

    static ClassDesc param(Param p) {
        return switch (p) {
            case Param.ArrayParam a -> typedArray(a.element());
            case Param.ScalarParam s -> of(s.type());
            case Param.ContextParam c -> throw new IllegalArgumentException("context parameter " + c.name());
        };
    }

    static MethodTypeDesc method(Function f, List<ClassDesc> extra) {
        List<ClassDesc> params = new java.util.ArrayList<>(f.params().stream().map(Descriptors::param).toList());
        params.addAll(extra);
        return MethodTypeDesc.of(of(f.returnType()), params);
    }
}
