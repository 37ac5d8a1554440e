package io.tessera.tasks.compiler.plugin;

import io.tessera.tasks.compiler.ir.Evaluator;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.ScalarType;

/** Java's implicit conversions, made explicit as IR casts (folded when the operand is a literal). */
final class Conversions {
    private Conversions() {
    }

    /** {@code expr} converted to {@code to}: itself when it already has that type. */
    static Expr convert(Expr expr, ScalarType to) {
        if (expr.type() == to) {
            return expr;
        }
        if (expr instanceof Expr.Const c) {
            return new Expr.Const(to, Evaluator.cast(c.value(), to), c.line());
        }
        return new Expr.Cast(to, expr, expr.line());
    }

    /** Java's binary numeric promotion (JLS 5.6) of two operand types. */
    static ScalarType promote(ScalarType a, ScalarType b) {
        if (a == ScalarType.F64 || b == ScalarType.F64) {
            return ScalarType.F64;
        }
        if (a == ScalarType.F32 || b == ScalarType.F32) {
            return ScalarType.F32;
        }
        if (a == ScalarType.I64 || b == ScalarType.I64) {
            return ScalarType.I64;
        }
        return ScalarType.I32;
    }

    /** Java's unary numeric promotion: byte and short widen to int. */
    static ScalarType promote(ScalarType a) {
        return a == ScalarType.I8 || a == ScalarType.I16 ? ScalarType.I32 : a;
    }
}
