package io.tessera.tasks.compiler.ir;

import java.util.List;
import java.util.stream.Collectors;

/** Prints kernel IR in a Java-like form, one statement a line, each with its source line. */
final class IrPrinter {
    private final StringBuilder out = new StringBuilder();
    private int depth;

    String print(KernelIr ir) {
        out.append("// kernel ").append(ir.qualifiedName()).append(" from ").append(ir.sourceFile());
        if (!ir.jvmImplementation().isEmpty()) {
            out.append(", JVM form ").append(ir.jvmImplementation());
        }
        out.append('\n');
        function("kernel", ir.kernel());
        for (Function helper : ir.helpers()) {
            out.append('\n');
            function("helper", helper);
        }
        return out.toString();
    }

    private void function(String kind, Function f) {
        String params = f.params().stream().map(IrPrinter::param).collect(Collectors.joining(", "));
        out.append(kind).append(' ').append(f.returnType().javaName()).append(' ').append(f.name())
                .append('(').append(params).append(") {  // line ").append(f.line()).append('\n');
        depth++;
        f.body().body().forEach(this::stmt);
        depth--;
        out.append("}\n");
    }

    private static String param(Param p) {
        return switch (p) {
            case Param.ArrayParam a -> a.javaType() + " " + a.name();
            case Param.ScalarParam s -> s.type().javaName() + " " + s.name();
            case Param.ContextParam c -> "KernelContext " + c.name();
        };
    }

    private void line(String text, int line) {
        out.append("    ".repeat(depth)).append(text).append("  // line ").append(line).append('\n');
    }

    private void open(String text, int line, Stmt body) {
        line(text + " {", line);
        depth++;
        if (body instanceof Stmt.Block b) {
            b.body().forEach(this::stmt);
        } else {
            stmt(body);
        }
        depth--;
    }

    private void close() {
        out.append("    ".repeat(depth)).append("}\n");
    }

    private void stmt(Stmt s) {
        switch (s) {
            case Stmt.Declare d -> line(d.local().type().javaName() + " " + d.local().name()
                    + (d.init() == null ? "" : " = " + expr(d.init())) + ";", d.line());
            case Stmt.DeclareArray d -> line((d.array().space() == ArrayVar.Space.LOCAL ? "local " : "")
                    + d.array().element().javaName() + "[] " + d.array().name() + " = new "
                    + d.array().element().javaName() + "[" + d.array().length() + "];", d.line());
            case Stmt.Assign a -> line(a.local().name() + " = " + expr(a.value()) + ";", a.line());
            case Stmt.Store st -> line(store(st), st.line());
            case Stmt.Eval e -> line(expr(e.expr()) + ";", e.line());
            case Stmt.If i -> {
                open("if (" + expr(i.cond()) + ")", i.line(), i.then());
                if (i.otherwise() != null) {
                    out.append("    ".repeat(depth)).append("} else {\n");
                    depth++;
                    stmt(i.otherwise());
                    depth--;
                }
                close();
            }
            case Stmt.For f -> {
                open("for (" + simple(f.init()) + "; " + (f.cond() == null ? "" : expr(f.cond())) + "; "
                        + simple(f.update()) + ")", f.line(), f.body());
                close();
            }
            case Stmt.While w -> {
                open("while (" + expr(w.cond()) + ")", w.line(), w.body());
                close();
            }
            case Stmt.DoWhile d -> {
                open("do", d.line(), d.body());
                out.append("    ".repeat(depth)).append("} while (").append(expr(d.cond())).append(");\n");
            }
            case Stmt.Break b -> line("break;", b.line());
            case Stmt.Continue c -> line("continue;", c.line());
            case Stmt.Return r -> line(r.value() == null ? "return;" : "return " + expr(r.value()) + ";", r.line());
            case Stmt.Barrier b -> line("barrier(" + b.fence() + ");", b.line());
            case Stmt.Block b -> {
                line("{", b.line());
                depth++;
                b.body().forEach(this::stmt);
                depth--;
                close();
            }
            case Stmt.ParallelFor p -> {
                String v = p.var().name();
                open("for (@Parallel(" + p.dimension() + ") " + p.var().type().javaName() + " " + v + " = "
                        + expr(p.start()) + "; " + v + " < " + expr(p.bound()) + "; " + v + "++)", p.line(), p.body());
                close();
            }
        }
    }

    private String simple(List<Stmt> stmts) {
        return stmts.stream().map(s -> switch (s) {
            case Stmt.Declare d -> d.local().type().javaName() + " " + d.local().name()
                    + (d.init() == null ? "" : " = " + expr(d.init()));
            case Stmt.Assign a -> a.local().name() + " = " + expr(a.value());
            case Stmt.Store st -> store(st).replace(";", "");
            case Stmt.Eval e -> expr(e.expr());
            default -> s.getClass().getSimpleName();
        }).collect(Collectors.joining(", "));
    }

    private String store(Stmt.Store st) {
        return switch (st.array()) {
            case ArrayTarget.Global g -> g.name() + ".set(" + expr(st.index()) + ", " + expr(st.value()) + ");";
            case ArrayVar v -> v.name() + "[" + expr(st.index()) + "] = " + expr(st.value()) + ";";
        };
    }

    static String expr(Expr e) {
        return switch (e) {
            case Expr.Const c -> constant(c);
            case Expr.ParamRef p -> p.name();
            case Expr.LocalRef l -> l.local().name();
            case Expr.ArrayLength l -> l.array().name() + ".length()";
            case Expr.Unary u -> u.op().symbol() + operand(u.operand());
            case Expr.Binary b -> operand(b.left()) + " " + b.op().symbol() + " " + operand(b.right());
            case Expr.Cast c -> "(" + c.type().javaName() + ") " + operand(c.operand());
            case Expr.Ternary t -> operand(t.cond()) + " ? " + operand(t.ifTrue()) + " : " + operand(t.ifFalse());
            case Expr.Load l -> switch (l.array()) {
                case ArrayTarget.Global g -> g.name() + ".get(" + expr(l.index()) + ")";
                case ArrayVar v -> v.name() + "[" + expr(l.index()) + "]";
            };
            case Expr.ByteLoad b -> b.array().name() + "." + b.access().javaMethod() + "(" + expr(b.byteOffset()) + ")";
            case Expr.IntrinsicCall i -> i.intrinsic().owner().simpleName() + "." + i.intrinsic().method() + args(i.args());
            case Expr.Call c -> c.function() + args(c.args());
            case Expr.ArrayArg a -> a.array().name();
            case Expr.Context c -> "context." + c.query().javaMethod() + "(" + c.dimension() + ")";
        };
    }

    private static String args(List<Expr> args) {
        return args.stream().map(IrPrinter::expr).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String operand(Expr e) {
        String s = expr(e);
        return e instanceof Expr.Binary || e instanceof Expr.Ternary || e instanceof Expr.Cast ? "(" + s + ")" : s;
    }

    private static String constant(Expr.Const c) {
        return switch (c.type()) {
            case I64 -> c.value() + "L";
            case F32 -> c.value() + "f";
            case I8, I16 -> "(" + c.type().javaName() + ") " + c.value();
            default -> c.value().toString();
        };
    }
}
