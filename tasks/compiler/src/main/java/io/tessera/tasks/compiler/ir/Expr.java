package io.tessera.tasks.compiler.ir;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Expressions of the kernel IR. Every expression has a {@link ScalarType}; Java's implicit
 * conversions are explicit {@link Cast}s, so back ends never reason about promotion. Each node
 * carries the Java source line it came from.
 */
public sealed interface Expr extends Serializable {

    ScalarType type();

    int line();

    /**
     * A literal. {@code value} is a Boolean for BOOL, an Integer for I8/I16/I32 (within range),
     * a Long for I64, a Float for F32 and a Double for F64.
     */
    record Const(ScalarType type, Object value, int line) implements Expr {
        public Const {
            Objects.requireNonNull(value, "value");
            Class<?> expected = switch (type) {
                case BOOL -> Boolean.class;
                case I8, I16, I32 -> Integer.class;
                case I64 -> Long.class;
                case F32 -> Float.class;
                case F64 -> Double.class;
                case VOID -> throw new IllegalArgumentException("void constant");
            };
            if (value.getClass() != expected) {
                throw new IllegalArgumentException(type + " constant holds a " + value.getClass().getSimpleName());
            }
        }

        public static Const ofInt(int value, int line) {
            return new Const(ScalarType.I32, value, line);
        }

        public static Const ofLong(long value, int line) {
            return new Const(ScalarType.I64, value, line);
        }
    }

    /** Reads a scalar parameter of the enclosing function. */
    record ParamRef(int index, String name, ScalarType type, int line) implements Expr {
        public ParamRef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /** Reads a local variable. */
    record LocalRef(Local local, int line) implements Expr {
        public LocalRef {
            Objects.requireNonNull(local, "local");
        }

        @Override
        public ScalarType type() {
            return local.type();
        }
    }

    /** {@code length()} of a typed-array parameter, a {@code long}. */
    record ArrayLength(ArrayTarget.Global array, int line) implements Expr {
        public ArrayLength {
            Objects.requireNonNull(array, "array");
        }

        @Override
        public ScalarType type() {
            return ScalarType.I64;
        }
    }

    record Unary(UnaryOp op, Expr operand, int line) implements Expr {
        public Unary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public ScalarType type() {
            return operand.type();
        }
    }

    record Binary(BinaryOp op, Expr left, Expr right, int line) implements Expr {
        public Binary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
            if (op.isShift() ? right.type() != ScalarType.I32 : left.type() != right.type()) {
                throw new IllegalArgumentException("operands of " + op + " have types "
                        + left.type() + " and " + right.type());
            }
        }

        @Override
        public ScalarType type() {
            return op.isComparison() || op.isLogical() ? ScalarType.BOOL : left.type();
        }
    }

    /** A primitive conversion with Java semantics (float to int saturates, NaN gives 0). */
    record Cast(ScalarType type, Expr operand, int line) implements Expr {
        public Cast {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** {@code cond ? ifTrue : ifFalse}; both branches have the result type. */
    record Ternary(Expr cond, Expr ifTrue, Expr ifFalse, int line) implements Expr {
        public Ternary {
            Objects.requireNonNull(cond, "cond");
            Objects.requireNonNull(ifTrue, "ifTrue");
            Objects.requireNonNull(ifFalse, "ifFalse");
            if (ifTrue.type() != ifFalse.type()) {
                throw new IllegalArgumentException("ternary branches of types " + ifTrue.type() + " and " + ifFalse.type());
            }
        }

        @Override
        public ScalarType type() {
            return ifTrue.type();
        }
    }

    /**
     * Reads element {@code index} of an array. For typed arrays the index is a {@code long}
     * (as in {@code FloatArray.get(long)}); for Java arrays an {@code int}.
     */
    record Load(ArrayTarget array, Expr index, int line) implements Expr {
        public Load {
            Objects.requireNonNull(array, "array");
            Objects.requireNonNull(index, "index");
        }

        @Override
        public ScalarType type() {
            return array.valueType();
        }
    }

    /** {@code ByteArray.getShort/getHalf/getInt(byteOffset)}: little-endian, unaligned. */
    record ByteLoad(ArrayTarget.Global array, ByteAccess access, Expr byteOffset, int line) implements Expr {
        public ByteLoad {
            Objects.requireNonNull(array, "array");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(byteOffset, "byteOffset");
        }

        @Override
        public ScalarType type() {
            return access.type();
        }
    }

    /** A call of a library method of the subset ({@code Math.exp}, {@code KernelMath.rsqrt}, ...). */
    record IntrinsicCall(Intrinsic intrinsic, List<Expr> args, ScalarType type, int line) implements Expr {
        public IntrinsicCall {
            Objects.requireNonNull(intrinsic, "intrinsic");
            args = List.copyOf(args);
            Objects.requireNonNull(type, "type");
        }
    }

    /** A call of a helper function of the same kernel IR, by its unique name there. */
    record Call(String function, List<Expr> args, ScalarType type, int line) implements Expr {
        public Call {
            Objects.requireNonNull(function, "function");
            args = List.copyOf(args);
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * A typed-array parameter passed whole to a helper. Only valid as an argument of
     * {@link Call}; its type is VOID because it has no scalar value.
     */
    record ArrayArg(ArrayTarget.Global array, int line) implements Expr {
        public ArrayArg {
            Objects.requireNonNull(array, "array");
        }

        @Override
        public ScalarType type() {
            return ScalarType.VOID;
        }
    }

    /** A {@code KernelContext} index-space query of dimension 0, 1 or 2; an {@code int}. */
    record Context(ContextQuery query, int dimension, int line) implements Expr {
        public Context {
            Objects.requireNonNull(query, "query");
            if (dimension < 0 || dimension > 2) {
                throw new IllegalArgumentException("dimension " + dimension);
            }
        }

        @Override
        public ScalarType type() {
            return ScalarType.I32;
        }
    }
}
