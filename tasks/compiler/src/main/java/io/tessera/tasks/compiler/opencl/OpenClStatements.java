package io.tessera.tasks.compiler.opencl;

import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.util.List;
import java.util.stream.Collectors;

/** Writes IR statements as indented OpenCL C, each line ending with the Java line it came from. */
final class OpenClStatements {
    private final OpenClExpressions exprs;
    private final StringBuilder out;
    private int depth;

    OpenClStatements(OpenClExpressions exprs, StringBuilder out, int depth) {
        this.exprs = exprs;
        this.out = out;
        this.depth = depth;
    }

    private void line(String text, int javaLine) {
        out.append("    ".repeat(depth)).append(text).append("  // line ").append(javaLine).append('\n');
    }

    private void plain(String text) {
        out.append("    ".repeat(depth)).append(text).append('\n');
    }

    void statements(List<Stmt> body) {
        body.forEach(this::statement);
    }

    private void nested(Stmt body) {
        depth++;
        if (body instanceof Stmt.Block b) {
            statements(b.body());
        } else {
            statement(body);
        }
        depth--;
    }

    void statement(Stmt s) {
        switch (s) {
            case Stmt.Declare d -> line(exprs.type(d.local().type()) + " " + OpenClExpressions.localName(d.local())
                    + (d.init() == null ? "" : " = " + exprs.write(d.init())) + ";", d.line());
            case Stmt.DeclareArray d -> line(arrayDeclaration(d.array()), d.line());
            case Stmt.Assign a -> line(simple(a) + ";", a.line());
            case Stmt.Store st -> line(simple(st) + ";", st.line());
            case Stmt.Eval e -> line(exprs.write(e.expr()) + ";", e.line());
            case Stmt.If i -> {
                line("if (" + exprs.write(i.cond()) + ") {", i.line());
                nested(i.then());
                if (i.otherwise() != null) {
                    plain("} else {");
                    nested(i.otherwise());
                }
                plain("}");
            }
            case Stmt.For f -> forLoop(f);
            case Stmt.While w -> {
                line("while (" + exprs.write(w.cond()) + ") {", w.line());
                nested(w.body());
                plain("}");
            }
            case Stmt.DoWhile d -> {
                line("do {", d.line());
                nested(d.body());
                plain("} while (" + exprs.write(d.cond()) + ");");
            }
            case Stmt.Break b -> line("break;", b.line());
            case Stmt.Continue c -> line("continue;", c.line());
            case Stmt.Return r -> line(r.value() == null ? "return;" : "return " + exprs.write(r.value()) + ";", r.line());
            case Stmt.Barrier b -> line("barrier(" + (b.fence() == Stmt.Barrier.Fence.LOCAL
                    ? "CLK_LOCAL_MEM_FENCE" : "CLK_GLOBAL_MEM_FENCE") + ");", b.line());
            case Stmt.Block b -> {
                plain("{");
                nested(b);
                plain("}");
            }
            case Stmt.ParallelFor p -> parallelFor(p);
        }
    }

    private String arrayDeclaration(ArrayVar a) {
        String decl = exprs.type(a.element()) + " " + OpenClNames.safe(a.name()) + "[" + a.length() + "]";
        // Local memory is uninitialised; a private array is zero-filled wherever it is declared, as in Java.
        return a.space() == ArrayVar.Space.LOCAL ? "__local " + decl + ";" : decl + " = {0};";
    }

    /** An assignment or store, without the semicolon (also used in for-loop updates). */
    private String simple(Stmt s) {
        return switch (s) {
            case Stmt.Assign a -> OpenClExpressions.localName(a.local()) + " = " + exprs.write(a.value());
            case Stmt.Store st -> store(st);
            case Stmt.Eval e -> exprs.write(e.expr());
            default -> throw new IllegalArgumentException("not a simple statement: " + s);
        };
    }

    private String store(Stmt.Store st) {
        String at = exprs.index(st.index());
        String value = exprs.write(st.value());
        return switch (st.array()) {
            case ArrayVar v -> OpenClNames.safe(v.name()) + "[" + at + "] = " + value;
            case ArrayTarget.Global g -> switch (g.element()) {
                case F16 -> "vstore_half_rte(" + value + ", " + at + ", (__global half*) " + OpenClNames.safe(g.name()) + ")";
                case BF16 -> {
                    exprs.requireSupport(Support.FLOAT_TO_BF16);
                    yield OpenClNames.safe(g.name()) + "[" + at + "] = tessera_float_to_bf16(" + value + ")";
                }
                default -> OpenClNames.safe(g.name()) + "[" + at + "] = " + value;
            };
        };
    }

    private void forLoop(Stmt.For f) {
        if (!f.update().stream().allMatch(u -> u instanceof Stmt.Assign || u instanceof Stmt.Store
                || u instanceof Stmt.Eval)) {
            throw new IllegalArgumentException("line " + f.line() + ": a for-loop update must be assignments or calls");
        }
        String update = f.update().stream().map(this::simple).collect(Collectors.joining(", "));
        String header = "; " + (f.cond() == null ? "" : exprs.write(f.cond())) + "; " + update + ") {";
        if (f.init().isEmpty() || (f.init().size() == 1 && f.init().getFirst() instanceof Stmt.Declare)) {
            String init = "";
            if (!f.init().isEmpty()) {
                Stmt.Declare d = (Stmt.Declare) f.init().getFirst();
                init = exprs.type(d.local().type()) + " " + OpenClExpressions.localName(d.local())
                        + (d.init() == null ? "" : " = " + exprs.write(d.init()));
            }
            line("for (" + init + header, f.line());
            nested(f.body());
            plain("}");
            return;
        }
        // several declarations: they go in a block around the loop
        plain("{");
        depth++;
        statements(f.init());
        line("for (" + header, f.line());
        nested(f.body());
        plain("}");
        depth--;
        plain("}");
    }

    private void parallelFor(Stmt.ParallelFor p) {
        String var = OpenClExpressions.localName(p.var());
        String t = exprs.type(p.var().type());
        String compared = p.var().type() == ScalarType.I32 && p.bound().type() == ScalarType.I64 ? "(long) " + var : var;
        String start = p.start() instanceof Expr.Const c && ((Number) c.value()).longValue() == 0
                ? "" : exprs.operand(p.start()) + " + ";
        line("for (" + t + " " + var + " = " + start + "(" + t + ") get_global_id(" + p.dimension()
                + "); " + compared + " < " + exprs.write(p.bound()) + "; " + var + " += (" + t + ") get_global_size("
                + p.dimension() + ")) {", p.line());
        nested(p.body());
        plain("}");
    }
}
