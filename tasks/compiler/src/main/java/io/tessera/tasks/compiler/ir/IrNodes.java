package io.tessera.tasks.compiler.ir;

import java.util.function.Consumer;

/** Deep traversals of statements and expressions, shared by the analyses of the IR. */
public final class IrNodes {
    private IrNodes() {
    }

    /** Calls {@code action} on {@code stmt} and every statement nested in it, parents first. */
    public static void forEachStmt(Stmt stmt, Consumer<Stmt> action) {
        if (stmt == null) {
            return;
        }
        action.accept(stmt);
        switch (stmt) {
            case Stmt.If s -> {
                forEachStmt(s.then(), action);
                forEachStmt(s.otherwise(), action);
            }
            case Stmt.For s -> {
                s.init().forEach(i -> forEachStmt(i, action));
                s.update().forEach(u -> forEachStmt(u, action));
                forEachStmt(s.body(), action);
            }
            case Stmt.While s -> forEachStmt(s.body(), action);
            case Stmt.DoWhile s -> forEachStmt(s.body(), action);
            case Stmt.Block s -> s.body().forEach(b -> forEachStmt(b, action));
            case Stmt.ParallelFor s -> forEachStmt(s.body(), action);
            default -> {
            }
        }
    }

    /** Calls {@code action} on every expression, and every subexpression, in {@code stmt}. */
    public static void forEachExpr(Stmt stmt, Consumer<Expr> action) {
        forEachStmt(stmt, s -> {
            switch (s) {
                case Stmt.Declare d -> forEachExpr(d.init(), action);
                case Stmt.Assign a -> forEachExpr(a.value(), action);
                case Stmt.Store st -> {
                    forEachExpr(st.index(), action);
                    forEachExpr(st.value(), action);
                }
                case Stmt.Eval e -> forEachExpr(e.expr(), action);
                case Stmt.If i -> forEachExpr(i.cond(), action);
                case Stmt.For f -> forEachExpr(f.cond(), action);
                case Stmt.While w -> forEachExpr(w.cond(), action);
                case Stmt.DoWhile d -> forEachExpr(d.cond(), action);
                case Stmt.Return r -> forEachExpr(r.value(), action);
                case Stmt.ParallelFor p -> {
                    forEachExpr(p.start(), action);
                    forEachExpr(p.bound(), action);
                }
                default -> {
                }
            }
        });
    }

    /** Calls {@code action} on {@code expr} and each of its subexpressions, parents first. */
    public static void forEachExpr(Expr expr, Consumer<Expr> action) {
        if (expr == null) {
            return;
        }
        action.accept(expr);
        switch (expr) {
            case Expr.Unary u -> forEachExpr(u.operand(), action);
            case Expr.Binary b -> {
                forEachExpr(b.left(), action);
                forEachExpr(b.right(), action);
            }
            case Expr.Cast c -> forEachExpr(c.operand(), action);
            case Expr.Ternary t -> {
                forEachExpr(t.cond(), action);
                forEachExpr(t.ifTrue(), action);
                forEachExpr(t.ifFalse(), action);
            }
            case Expr.Load l -> forEachExpr(l.index(), action);
            case Expr.ByteLoad b -> forEachExpr(b.byteOffset(), action);
            case Expr.IntrinsicCall i -> i.args().forEach(a -> forEachExpr(a, action));
            case Expr.Call c -> c.args().forEach(a -> forEachExpr(a, action));
            default -> {
            }
        }
    }
}
