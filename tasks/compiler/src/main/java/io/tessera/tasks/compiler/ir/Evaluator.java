package io.tessera.tasks.compiler.ir;

import io.tessera.tasks.api.TypedArray;

/**
 * Evaluates the expressions that may appear in parallel-loop bounds and constant array sizes,
 * with Java semantics, from the kernel's actual arguments. Values are boxed: Boolean, Integer
 * (for byte, short and int), Long, Float, Double.
 */
public final class Evaluator {
    private final Object[] args;

    /** {@code args} holds the kernel's arguments in Java order; null when only constants may appear. */
    public Evaluator(Object[] args) {
        this.args = args;
    }

    /** The value of {@code expr}; throws IllegalArgumentException for what it cannot evaluate. */
    public Object evaluate(Expr expr) {
        return switch (expr) {
            case Expr.Const c -> c.value();
            case Expr.ParamRef p -> argument(p.index(), p.name());
            case Expr.ArrayLength l -> {
                if (!(argument(l.array().param(), l.array().name()) instanceof TypedArray a)) {
                    throw new IllegalArgumentException("argument " + l.array().name() + " is not a typed array");
                }
                yield a.length();
            }
            case Expr.Cast c -> cast(evaluate(c.operand()), c.type());
            case Expr.Unary u -> unary(u.op(), evaluate(u.operand()), u.type());
            case Expr.Binary b -> binary(b);
            case Expr.Ternary t -> (Boolean) evaluate(t.cond()) ? evaluate(t.ifTrue()) : evaluate(t.ifFalse());
            case Expr.IntrinsicCall i -> intrinsic(i);
            default -> throw new IllegalArgumentException("line " + expr.line()
                    + ": a " + expr.getClass().getSimpleName() + " has no value before the kernel runs");
        };
    }

    /** {@code evaluate(expr)} as a long, for integer-typed expressions. */
    public long evaluateLong(Expr expr) {
        return ((Number) evaluate(expr)).longValue();
    }

    private Object argument(int index, String name) {
        if (args == null) {
            throw new IllegalArgumentException("parameter " + name + " is not a constant");
        }
        if (index >= args.length || args[index] == null) {
            throw new IllegalArgumentException("no argument for parameter " + name + " (index " + index + ")");
        }
        return args[index];
    }

    /** Java's primitive conversion of {@code value} to {@code to}. */
    public static Object cast(Object value, ScalarType to) {
        if (value instanceof Boolean) {
            if (to != ScalarType.BOOL) {
                throw new IllegalArgumentException("boolean cannot be converted to " + to.javaName());
            }
            return value;
        }
        Number n = (Number) value;
        boolean floating = value instanceof Float || value instanceof Double;
        return switch (to) {
            case I8 -> (int) (byte) (floating ? (int) n.doubleValue() : n.longValue());
            case I16 -> (int) (short) (floating ? (int) n.doubleValue() : n.longValue());
            case I32 -> value instanceof Float f ? (int) (float) f : floating ? (int) n.doubleValue() : (int) n.longValue();
            case I64 -> value instanceof Float f ? (long) (float) f : floating ? (long) n.doubleValue() : n.longValue();
            case F32 -> floating ? n.floatValue() : (float) n.longValue();
            case F64 -> value instanceof Float f ? (double) f : floating ? n.doubleValue() : (double) n.longValue();
            case BOOL, VOID -> throw new IllegalArgumentException(value.getClass().getSimpleName()
                    + " cannot be converted to " + to.javaName());
        };
    }

    private static Object unary(UnaryOp op, Object v, ScalarType type) {
        return switch (op) {
            case NOT -> !(Boolean) v;
            case NEG -> switch (type) {
                case I64 -> -(Long) v;
                case F32 -> -(Float) v;
                case F64 -> -(Double) v;
                default -> -(Integer) v;
            };
            case BIT_NOT -> type == ScalarType.I64 ? ~(Long) v : (Object) ~(Integer) v;
        };
    }

    private Object binary(Expr.Binary b) {
        if (b.op() == BinaryOp.LOGICAL_AND) {
            return (Boolean) evaluate(b.left()) && (Boolean) evaluate(b.right());
        }
        if (b.op() == BinaryOp.LOGICAL_OR) {
            return (Boolean) evaluate(b.left()) || (Boolean) evaluate(b.right());
        }
        Object l = evaluate(b.left());
        Object r = evaluate(b.right());
        ScalarType t = b.left().type();
        if (b.op().isComparison()) {
            return compare(b.op(), l, r, t);
        }
        return switch (t) {
            case BOOL -> switch (b.op()) {
                case AND -> (Boolean) l & (Boolean) r;
                case OR -> (Boolean) l | (Boolean) r;
                case XOR -> (Boolean) l ^ (Boolean) r;
                default -> throw new IllegalArgumentException(b.op() + " on booleans");
            };
            case I64 -> longOp(b.op(), (Long) l, ((Number) r).longValue());
            case F32 -> (float) floatOp(b.op(), (Float) l, (Float) r);
            case F64 -> floatOp(b.op(), (Double) l, (Double) r);
            default -> intOp(b.op(), (Integer) l, (Integer) r);
        };
    }

    private static Object compare(BinaryOp op, Object l, Object r, ScalarType t) {
        if (t == ScalarType.BOOL) {
            return op == BinaryOp.EQ ? l.equals(r) : !l.equals(r);
        }
        if (t.isFloating()) {
            double x = ((Number) l).doubleValue();
            double y = ((Number) r).doubleValue();
            return switch (op) {
                case EQ -> x == y;
                case NE -> x != y;
                case LT -> x < y;
                case LE -> x <= y;
                case GT -> x > y;
                default -> x >= y;
            };
        }
        long x = ((Number) l).longValue();
        long y = ((Number) r).longValue();
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            default -> x >= y;
        };
    }

    private static int intOp(BinaryOp op, int l, int r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case REM -> l % r;
            case AND -> l & r;
            case OR -> l | r;
            case XOR -> l ^ r;
            case SHL -> l << r;
            case SHR -> l >> r;
            case USHR -> l >>> r;
            default -> throw new IllegalArgumentException(op + " on int");
        };
    }

    private static long longOp(BinaryOp op, long l, long r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case REM -> l % r;
            case AND -> l & r;
            case OR -> l | r;
            case XOR -> l ^ r;
            case SHL -> l << r;
            case SHR -> l >> r;
            case USHR -> l >>> r;
            default -> throw new IllegalArgumentException(op + " on long");
        };
    }

    private static double floatOp(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case REM -> l % r;
            default -> throw new IllegalArgumentException(op + " on floating point");
        };
    }

    private Object intrinsic(Expr.IntrinsicCall call) {
        if (call.args().size() == 2 && (call.intrinsic() == Intrinsic.MATH_MIN || call.intrinsic() == Intrinsic.MATH_MAX)) {
            Object a = evaluate(call.args().get(0));
            Object b = evaluate(call.args().get(1));
            boolean min = call.intrinsic() == Intrinsic.MATH_MIN;
            return switch (call.type()) {
                case I32 -> min ? Math.min((Integer) a, (Integer) b) : Math.max((Integer) a, (Integer) b);
                case I64 -> min ? Math.min((Long) a, (Long) b) : Math.max((Long) a, (Long) b);
                case F32 -> min ? Math.min((Float) a, (Float) b) : Math.max((Float) a, (Float) b);
                default -> min ? Math.min((Double) a, (Double) b) : Math.max((Double) a, (Double) b);
            };
        }
        throw new IllegalArgumentException("line " + call.line() + ": " + call.intrinsic().owner().simpleName()
                + "." + call.intrinsic().method() + " cannot be evaluated before the kernel runs");
    }
}
