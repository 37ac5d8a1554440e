package io.tessera.tasks.compiler.ptx;

import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.ContextQuery;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.Intrinsic;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import io.tessera.tasks.compiler.ir.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds kernel IR trees by hand, as the javac plugin would lower the Java source quoted in each
 * test kernel's comment. Source lines are numbered in the order statements are built.
 */
public final class IrBuilder {
    private int nextLocal;
    private int nextArray;
    private int line = 10;
    private final List<Param> params = new ArrayList<>();

    public Local local(String name, ScalarType type) {
        return new Local(nextLocal++, name, type);
    }

    public ArrayTarget.Global array(String name, ElementType element) {
        params.add(new Param.ArrayParam(name, element));
        return new ArrayTarget.Global(params.size() - 1, name, element);
    }

    public Expr.ParamRef scalar(String name, ScalarType type) {
        params.add(new Param.ScalarParam(name, type));
        return new Expr.ParamRef(params.size() - 1, name, type, line);
    }

    public void context() {
        params.add(new Param.ContextParam("context"));
    }

    public ArrayVar localArray(String name, ScalarType element, int length) {
        return new ArrayVar(nextArray++, name, element, length, ArrayVar.Space.LOCAL);
    }

    public ArrayVar privateArray(String name, ScalarType element, int length) {
        return new ArrayVar(nextArray++, name, element, length, ArrayVar.Space.PRIVATE);
    }

    public List<Param> params() {
        return List.copyOf(params);
    }

    private int next() {
        return line++;
    }

    // expressions

    public static Expr.Const i32(int v) {
        return new Expr.Const(ScalarType.I32, v, 0);
    }

    public static Expr.Const i64(long v) {
        return new Expr.Const(ScalarType.I64, v, 0);
    }

    public static Expr.Const f32(float v) {
        return new Expr.Const(ScalarType.F32, v, 0);
    }

    public static Expr.Const f64(double v) {
        return new Expr.Const(ScalarType.F64, v, 0);
    }

    public static Expr.Const bool(boolean v) {
        return new Expr.Const(ScalarType.BOOL, v, 0);
    }

    public static Expr ref(Local l) {
        return new Expr.LocalRef(l, 0);
    }

    public static Expr bin(BinaryOp op, Expr l, Expr r) {
        return new Expr.Binary(op, l, r, 0);
    }

    public static Expr add(Expr l, Expr r) {
        return bin(BinaryOp.ADD, l, r);
    }

    public static Expr sub(Expr l, Expr r) {
        return bin(BinaryOp.SUB, l, r);
    }

    public static Expr mul(Expr l, Expr r) {
        return bin(BinaryOp.MUL, l, r);
    }

    public static Expr div(Expr l, Expr r) {
        return bin(BinaryOp.DIV, l, r);
    }

    public static Expr lt(Expr l, Expr r) {
        return bin(BinaryOp.LT, l, r);
    }

    public static Expr neg(Expr e) {
        return new Expr.Unary(UnaryOp.NEG, e, 0);
    }

    public static Expr not(Expr e) {
        return new Expr.Unary(UnaryOp.NOT, e, 0);
    }

    public static Expr cast(ScalarType t, Expr e) {
        return new Expr.Cast(t, e, 0);
    }

    public static Expr toLong(Expr e) {
        return cast(ScalarType.I64, e);
    }

    public static Expr ternary(Expr c, Expr t, Expr f) {
        return new Expr.Ternary(c, t, f, 0);
    }

    public static Expr load(ArrayTarget a, Expr index) {
        return new Expr.Load(a, index, 0);
    }

    public static Expr len(ArrayTarget.Global a) {
        return new Expr.ArrayLength(a, 0);
    }

    public static Expr byteLoad(ArrayTarget.Global a, io.tessera.tasks.compiler.ir.ByteAccess access, Expr offset) {
        return new Expr.ByteLoad(a, access, offset, 0);
    }

    public static Expr intr(Intrinsic i, ScalarType type, Expr... args) {
        return new Expr.IntrinsicCall(i, Arrays.asList(args), type, 0);
    }

    public static Expr call(String function, ScalarType type, Expr... args) {
        return new Expr.Call(function, Arrays.asList(args), type, 0);
    }

    public static Expr arrayArg(ArrayTarget.Global a) {
        return new Expr.ArrayArg(a, 0);
    }

    public static Expr ctx(ContextQuery q, int dim) {
        return new Expr.Context(q, dim, 0);
    }

    // statements

    public Stmt decl(Local l, Expr init) {
        return new Stmt.Declare(l, init, next());
    }

    public Stmt declareArray(ArrayVar a) {
        return new Stmt.DeclareArray(a, next());
    }

    public Stmt assign(Local l, Expr v) {
        return new Stmt.Assign(l, v, next());
    }

    public Stmt store(ArrayTarget a, Expr index, Expr value) {
        return new Stmt.Store(a, index, value, next());
    }

    public Stmt eval(Expr e) {
        return new Stmt.Eval(e, next());
    }

    public Stmt iff(Expr c, Stmt then, Stmt otherwise) {
        return new Stmt.If(c, then, otherwise, next());
    }

    public Stmt block(Stmt... body) {
        return new Stmt.Block(Arrays.asList(body), next());
    }

    public Stmt forLoop(Stmt init, Expr cond, Stmt update, Stmt... body) {
        return new Stmt.For(init == null ? List.of() : List.of(init), cond, update == null ? List.of() : List.of(update),
                block(body), next());
    }

    public Stmt whileLoop(Expr cond, Stmt... body) {
        return new Stmt.While(cond, block(body), next());
    }

    public Stmt doWhile(Expr cond, Stmt... body) {
        return new Stmt.DoWhile(block(body), cond, next());
    }

    public Stmt brk() {
        return new Stmt.Break(next());
    }

    public Stmt cont() {
        return new Stmt.Continue(next());
    }

    public Stmt ret(Expr value) {
        return new Stmt.Return(value, next());
    }

    public Stmt barrier() {
        return new Stmt.Barrier(Stmt.Barrier.Fence.LOCAL, next());
    }

    public Stmt pfor(int dim, Local var, Expr start, Expr bound, Stmt... body) {
        return new Stmt.ParallelFor(dim, var, start, bound, block(body), next());
    }

    /** {@code v = v + 1} for an int local. */
    public Stmt inc(Local v) {
        return assign(v, add(ref(v), i32(1)));
    }

    /** The kernel function from the parameters declared so far. */
    public Function function(String name, ScalarType returnType, Stmt... body) {
        return new Function(name, name, params(), returnType, new Stmt.Block(Arrays.asList(body), 9), 9);
    }

    public static KernelIr kernel(Function kernel, Function... helpers) {
        return new KernelIr("io.tessera.test.Kernels", "Kernels.java", kernel, Arrays.asList(helpers), "");
    }
}
