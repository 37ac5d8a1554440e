package io.tessera.tasks.compiler.jvm;

import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Emits IR statements as bytecode. In the kernel method, the dimension-0 parallel loop runs the
 * iterations {@code [start + from, start + to)} that lie below its bound; inner parallel loops
 * are plain loops.
 */
final class StatementEmitter {
    private record Loop(Label exit, Label next) {
    }

    private final CodeBuilder code;
    private final Slots slots;
    private final ExpressionEmitter exprs;
    private final ScalarType returnType;
    private final int fromSlot;
    private final int toSlot;
    private final Deque<Loop> loops = new ArrayDeque<>();

    /** {@code fromSlot}/{@code toSlot}: the slice bounds of the kernel method, or -1 in helpers. */
    StatementEmitter(CodeBuilder code, Slots slots, ExpressionEmitter exprs, ScalarType returnType, int fromSlot, int toSlot) {
        this.code = code;
        this.slots = slots;
        this.exprs = exprs;
        this.returnType = returnType;
        this.fromSlot = fromSlot;
        this.toSlot = toSlot;
    }

    void statement(Stmt s) {
        switch (s) {
            case Stmt.Declare d -> {
                int slot = slots.local(d.local());
                if (d.init() != null) {
                    exprs.value(d.init());
                    code.storeLocal(Descriptors.kind(d.local().type()), slot);
                }
            }
            case Stmt.DeclareArray d -> {
                code.loadConstant(d.array().length());
                code.newarray(Descriptors.arrayKind(d.array().element()));
                code.astore(slots.array(d.array()));
            }
            case Stmt.Assign a -> {
                exprs.value(a.value());
                code.storeLocal(Descriptors.kind(a.local().type()), slots.local(a.local()));
            }
            case Stmt.Store st -> store(st);
            case Stmt.Eval e -> {
                exprs.value(e.expr());
                ScalarType t = e.expr().type();
                if (t != ScalarType.VOID) {
                    if (t.isWide()) {
                        code.pop2();
                    } else {
                        code.pop();
                    }
                }
            }
            case Stmt.If i -> {
                Label otherwise = code.newLabel();
                Label end = code.newLabel();
                exprs.jump(i.cond(), false, otherwise);
                statement(i.then());
                code.goto_(end);
                code.labelBinding(otherwise);
                if (i.otherwise() != null) {
                    statement(i.otherwise());
                }
                code.labelBinding(end);
            }
            case Stmt.For f -> {
                f.init().forEach(this::statement);
                loop(f.cond(), f.body(), () -> f.update().forEach(this::statement));
            }
            case Stmt.While w -> loop(w.cond(), w.body(), () -> { });
            case Stmt.DoWhile d -> {
                Label top = code.newLabel();
                Label next = code.newLabel();
                Label exit = code.newLabel();
                code.labelBinding(top);
                loops.push(new Loop(exit, next));
                statement(d.body());
                loops.pop();
                code.labelBinding(next);
                exprs.jump(d.cond(), true, top);
                code.labelBinding(exit);
            }
            case Stmt.Break b -> code.goto_(loops.peek().exit());
            case Stmt.Continue c -> code.goto_(loops.peek().next());
            case Stmt.Return r -> {
                if (r.value() == null) {
                    code.return_();
                } else {
                    exprs.value(r.value());
                    code.return_(Descriptors.kind(returnType));
                }
            }
            case Stmt.Barrier b -> throw new IllegalArgumentException("line " + b.line()
                    + ": barriers have no JVM form; the runtime runs such kernels as Java methods");
            case Stmt.Block b -> b.body().forEach(this::statement);
            case Stmt.ParallelFor p -> parallelFor(p);
        }
    }

    private void store(Stmt.Store st) {
        switch (st.array()) {
            case ArrayVar v -> {
                code.aload(slots.array(v));
                exprs.value(st.index());
                exprs.value(st.value());
                code.arrayStore(Descriptors.arrayKind(v.element()));
            }
            case ArrayTarget.Global g -> {
                code.aload(slots.param(g.param()));
                exprs.value(st.index());
                exprs.value(st.value());
                code.invokevirtual(Descriptors.typedArray(g.element()), "set", MethodTypeDesc.of(ConstantDescs.CD_void,
                        ConstantDescs.CD_long, Descriptors.of(g.valueType())));
            }
        }
    }

    /** {@code while (cond) { body; update }} where continue runs the update. */
    private void loop(Expr cond, Stmt body, Runnable update) {
        Label top = code.newLabel();
        Label next = code.newLabel();
        Label exit = code.newLabel();
        code.labelBinding(top);
        if (cond != null) {
            exprs.jump(cond, false, exit);
        }
        loops.push(new Loop(exit, next));
        statement(body);
        loops.pop();
        code.labelBinding(next);
        update.run();
        code.goto_(top);
        code.labelBinding(exit);
    }

    private void parallelFor(Stmt.ParallelFor p) {
        ScalarType t = p.var().type();
        int var = slots.local(p.var());
        exprs.value(p.start());
        int end = -1;
        if (p.dimension() == 0 && fromSlot >= 0) {
            int startSlot = slots.allocate(t);
            code.storeLocal(Descriptors.kind(t), startSlot);
            end = slots.allocate(t);
            offset(t, startSlot, toSlot);
            code.storeLocal(Descriptors.kind(t), end);
            offset(t, startSlot, fromSlot);
        }
        code.storeLocal(Descriptors.kind(t), var);
        Label top = code.newLabel();
        Label next = code.newLabel();
        Label exit = code.newLabel();
        code.labelBinding(top);
        Expr i = new Expr.LocalRef(p.var(), p.line());
        Expr compared = p.bound().type() == t ? i : new Expr.Cast(p.bound().type(), i, p.line());
        exprs.jump(new Expr.Binary(io.tessera.tasks.compiler.ir.BinaryOp.LT, compared, p.bound(), p.line()), false, exit);
        if (end >= 0) {
            code.loadLocal(Descriptors.kind(t), var);
            code.loadLocal(Descriptors.kind(t), end);
            if (t == ScalarType.I64) {
                code.lcmp();
                code.branch(Opcode.IFGE, exit);
            } else {
                code.branch(Opcode.IF_ICMPGE, exit);
            }
        }
        loops.push(new Loop(exit, next));
        statement(p.body());
        loops.pop();
        code.labelBinding(next);
        code.loadLocal(Descriptors.kind(t), var);
        if (t == ScalarType.I64) {
            code.lconst_1();
            code.ladd();
        } else {
            code.iconst_1();
            code.iadd();
        }
        code.storeLocal(Descriptors.kind(t), var);
        code.goto_(top);
        code.labelBinding(exit);
    }

    /** Pushes {@code start + (T) slice} where slice is the int in {@code sliceSlot}. */
    private void offset(ScalarType t, int startSlot, int sliceSlot) {
        code.loadLocal(Descriptors.kind(t), startSlot);
        code.iload(sliceSlot);
        if (t == ScalarType.I64) {
            code.i2l();
            code.ladd();
        } else {
            code.iadd();
        }
    }
}
