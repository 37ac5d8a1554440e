package io.tessera.tasks.compiler.opencl;

import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.Evaluator;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Intrinsic;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes IR expressions as OpenCL C with Java's semantics. Where OpenCL C leaves behaviour
 * undefined and Java defines it, the caveat is noted at the operator: signed overflow of
 * {@code + - *} (Java wraps; OpenCL compilers may assume it does not happen), integer division by
 * zero (Java throws) and {@code Integer.MIN_VALUE / -1}.
 */
final class OpenClExpressions {
    /** Unary Math methods on doubles that, called as {@code (float) Math.f((double) x)}, are emitted in float. */
    private static final Set<Intrinsic> NARROWABLE = EnumSet.of(Intrinsic.MATH_EXP, Intrinsic.MATH_LOG,
            Intrinsic.MATH_SQRT, Intrinsic.MATH_TANH, Intrinsic.MATH_SIN, Intrinsic.MATH_COS, Intrinsic.MATH_FLOOR,
            Intrinsic.MATH_CEIL, Intrinsic.MATH_POW);

    private final Map<Integer, Object> folded;
    private final Map<String, String> functionNames;
    private final Set<Support> supports;
    private final Map<String, Set<Integer>> lengths;
    private boolean usesDouble;

    /** {@code folded}: values of the scalar parameters to write as literals (the kernel's; empty in helpers). */
    /** {@code lengths}: for each helper, the typed-array parameters whose length it takes after its own. */
    OpenClExpressions(Map<Integer, Object> folded, Map<String, String> functionNames, Set<Support> supports,
                      Map<String, Set<Integer>> lengths) {
        this.folded = folded;
        this.functionNames = functionNames;
        this.supports = supports;
        this.lengths = lengths;
    }

    void requireSupport(Support support) {
        supports.add(support);
    }

    /** True once anything of type double has been written. */
    boolean usesDouble() {
        return usesDouble;
    }

    String type(ScalarType t) {
        return switch (t) {
            case VOID -> "void";
            case BOOL -> "bool";
            case I8 -> "char";
            case I16 -> "short";
            case I32 -> "int";
            case I64 -> "long";
            case F32 -> "float";
            case F64 -> {
                usesDouble = true;
                yield "double";
            }
        };
    }

    /** The pointer type of a typed-array parameter. */
    static String pointer(ElementType element) {
        return switch (element) {
            case F32 -> "__global float*";
            case F16, BF16 -> "__global ushort*";
            case I8 -> "__global char*";
            case I32 -> "__global int*";
            case I64 -> "__global long*";
        };
    }

    static String lengthName(String array) {
        return OpenClNames.safe(array) + "_length";
    }

    static String localName(io.tessera.tasks.compiler.ir.Local local) {
        return OpenClNames.safe(local.name());
    }

    String write(Expr e) {
        return switch (e) {
            case Expr.Const c -> literal(c.type(), c.value());
            case Expr.ParamRef p -> folded.containsKey(p.index())
                    ? literal(p.type(), foldedValue(p)) : OpenClNames.safe(p.name());
            case Expr.LocalRef l -> localName(l.local());
            case Expr.ArrayLength l -> lengthName(l.array().name());
            case Expr.Unary u -> u.op().symbol() + operand(u.operand());
            case Expr.Binary b -> binary(b);
            case Expr.Cast c -> cast(c);
            case Expr.Ternary t -> operand(t.cond()) + " ? " + operand(t.ifTrue()) + " : " + operand(t.ifFalse());
            case Expr.Load l -> load(l);
            case Expr.ByteLoad b -> byteLoad(b);
            case Expr.IntrinsicCall i -> intrinsic(i);
            case Expr.Call c -> call(c);
            case Expr.ArrayArg a -> OpenClNames.safe(a.array().name());
            case Expr.Context c -> "(int) " + c.query().openCl() + "(" + c.dimension() + ")";
        };
    }

    /** {@code e} as the operand of an operator: compound expressions are parenthesised. */
    String operand(Expr e) {
        String s = write(e);
        boolean compound = e instanceof Expr.Binary || e instanceof Expr.Ternary || e instanceof Expr.Unary
                || (e instanceof Expr.IntrinsicCall i && i.intrinsic() == Intrinsic.MATH_ABS && !i.type().isFloating());
        return compound ? "(" + s + ")" : s;
    }

    private Object foldedValue(Expr.ParamRef p) {
        Object value = folded.get(p.index());
        return p.type() == ScalarType.BOOL ? value : Evaluator.cast(value, p.type());
    }

    String literal(ScalarType type, Object value) {
        return switch (type) {
            case BOOL -> (Boolean) value ? "true" : "false";
            case I8, I16, I32 -> {
                int v = ((Number) value).intValue();
                yield v == Integer.MIN_VALUE ? "(-2147483647 - 1)" : v < 0 ? "(" + v + ")" : Integer.toString(v);
            }
            case I64 -> {
                long v = ((Number) value).longValue();
                yield v == Long.MIN_VALUE ? "(-9223372036854775807L - 1L)" : v < 0 ? "(" + v + "L)" : v + "L";
            }
            case F32 -> {
                float v = ((Number) value).floatValue();
                yield Float.isNaN(v) ? "NAN" : Float.isInfinite(v) ? (v > 0 ? "INFINITY" : "(-INFINITY)")
                        : (v < 0 || (v == 0 && 1 / v < 0)) ? "(" + v + "f)" : v + "f";
            }
            case F64 -> {
                usesDouble = true;
                double v = ((Number) value).doubleValue();
                yield Double.isNaN(v) ? "((double) NAN)" : Double.isInfinite(v) ? (v > 0 ? "((double) INFINITY)"
                        : "(-(double) INFINITY)") : (v < 0 || (v == 0 && 1 / v < 0)) ? "(" + v + ")" : Double.toString(v);
            }
            case VOID -> throw new IllegalArgumentException("void literal");
        };
    }

    private String binary(Expr.Binary b) {
        String l = operand(b.left());
        String r = operand(b.right());
        ScalarType t = b.left().type();
        if (b.op() == BinaryOp.USHR) {
            return t == ScalarType.I64 ? "(long) ((ulong) " + l + " >> " + r + ")"
                    : "(int) ((uint) " + l + " >> " + r + ")";
        }
        if (b.op() == BinaryOp.REM && t.isFloating()) {
            return "fmod(" + l + ", " + r + ")";
        }
        // OpenCL C masks shift counts to the width of the shifted type, as Java does.
        return l + " " + b.op().symbol() + " " + r;
    }

    private String cast(Expr.Cast c) {
        Expr operand = c.operand();
        ScalarType from = operand.type();
        if (c.type() == ScalarType.F32 && operand instanceof Expr.IntrinsicCall call && NARROWABLE.contains(call.intrinsic())
                && call.args().stream().allMatch(a -> a instanceof Expr.Cast w && w.operand().type() == ScalarType.F32)) {
            // (float) Math.exp((double) x) is written exp(x) in float: within an ulp or two of Java's.
            return call.intrinsic().method() + call.args().stream().map(a -> write(((Expr.Cast) a).operand()))
                    .collect(Collectors.joining(", ", "(", ")"));
        }
        String value = operand(operand);
        if (from.isFloating() && c.type().isInteger()) {
            // Java saturates and maps NaN to 0; so do the _sat conversions (a plain C cast is undefined).
            String wide = c.type() == ScalarType.I64 ? "convert_long_sat_rtz(" + value + ")"
                    : "convert_int_sat_rtz(" + value + ")";
            return c.type() == ScalarType.I64 || c.type() == ScalarType.I32 ? wide : "(" + type(c.type()) + ") " + wide;
        }
        return "(" + type(c.type()) + ") " + value;
    }

    /** An index: a widening of an int to long is dropped, as the value is the same. */
    String index(Expr index) {
        if (index instanceof Expr.Cast c && c.type() == ScalarType.I64 && c.operand().type() == ScalarType.I32) {
            return write(c.operand());
        }
        return write(index);
    }

    private String load(Expr.Load l) {
        String at = index(l.index());
        return switch (l.array()) {
            case ArrayVar v -> OpenClNames.safe(v.name()) + "[" + at + "]";
            case ArrayTarget.Global g -> switch (g.element()) {
                case F16 -> "vload_half(" + at + ", (const __global half*) " + OpenClNames.safe(g.name()) + ")";
                case BF16 -> {
                    supports.add(Support.BF16_TO_FLOAT);
                    yield "tessera_bf16_to_float(" + OpenClNames.safe(g.name()) + "[" + at + "])";
                }
                default -> OpenClNames.safe(g.name()) + "[" + at + "]";
            };
        };
    }

    private String byteLoad(Expr.ByteLoad b) {
        String args = "(" + OpenClNames.safe(b.array().name()) + ", " + write(b.byteOffset()) + ")";
        return switch (b.access()) {
            case SHORT -> {
                supports.add(Support.GET_SHORT);
                yield "tessera_get_short" + args;
            }
            case INT -> {
                supports.add(Support.GET_INT);
                yield "tessera_get_int" + args;
            }
            case HALF -> {
                supports.add(Support.GET_SHORT);
                supports.add(Support.HALF_BITS_TO_FLOAT);
                yield "tessera_half_bits_to_float(tessera_get_short" + args + ")";
            }
        };
    }

    private String call(Expr.Call c) {
        List<String> args = new java.util.ArrayList<>(c.args().stream().map(this::write).toList());
        for (int i : lengths.getOrDefault(c.function(), Set.of())) {
            args.add(lengthName(((Expr.ArrayArg) c.args().get(i)).array().name()));
        }
        return functionNames.get(c.function()) + "(" + String.join(", ", args) + ")";
    }

    private String args(List<Expr> args) {
        return args.stream().map(this::write).collect(Collectors.joining(", ", "(", ")"));
    }

    private String intrinsic(Expr.IntrinsicCall i) {
        String args = args(i.args());
        ScalarType t = i.type();
        if (t == ScalarType.F64) {
            usesDouble = true;
        }
        return switch (i.intrinsic()) {
            case MATH_ABS -> t.isFloating() ? "fabs" + args : "(" + type(t) + ") abs" + args;
            case MATH_MIN -> (t.isFloating() ? "fmin" : "min") + args;
            case MATH_MAX -> (t.isFloating() ? "fmax" : "max") + args;
            case MATH_ROUND -> {
                supports.add(t == ScalarType.I32 ? Support.ROUND_FLOAT : Support.ROUND_DOUBLE);
                yield (t == ScalarType.I32 ? "tessera_round_float" : "tessera_round_double") + args;
            }
            case FLOAT16_TO_FLOAT -> {
                supports.add(Support.HALF_BITS_TO_FLOAT);
                yield "tessera_half_bits_to_float" + args;
            }
            case FLOAT_TO_FLOAT16 -> {
                supports.add(Support.FLOAT_TO_HALF_BITS);
                yield "tessera_float_to_half_bits" + args;
            }
            case INT_BITS_TO_FLOAT -> "as_float" + args;
            case FLOAT_TO_RAW_INT_BITS -> "as_int" + args;
            case IS_NAN -> "isnan" + args;
            default -> i.intrinsic().method() + args;
        };
    }
}
