package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.AnnotatedTypeTree;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.IrNodes;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Lowers the body of one kernel or helper method to an IR {@link Function}. Each statement that
 * leaves the subset is reported as a javac error on its tree; lowering goes on with the next
 * statement so that one compilation shows every violation.
 */
final class FunctionLowering {
    private final SourceInfo source;
    private final MethodTree tree;
    private final ExecutableElement method;
    private final String irName;
    private final FunctionScope scope;
    private final ExprLowering exprs;
    private final ParallelNest nest;
    private final Deque<Boolean> loops = new ArrayDeque<>();
    private final List<Param> params = new ArrayList<>();
    private boolean failed;
    private boolean hasContext;

    FunctionLowering(SourceInfo source, HelperRegistry helpers, MethodTree tree, ExecutableElement method,
                     String irName, boolean kernel) {
        this.source = source;
        this.tree = tree;
        this.method = method;
        this.irName = irName;
        String owner = method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
        this.scope = new FunctionScope(source, (kernel ? "kernel " : "helper ") + owner, kernel,
                TypeMapping.scalar(method.getReturnType()), helpers);
        this.exprs = new ExprLowering(scope);
        this.nest = new ParallelNest(scope);
    }

    /** The lowered function, or null when errors were reported. */
    Function lower() {
        try {
            if (scope.returnType() == null) {
                throw scope.violation(tree.getReturnType(), "returns " + method.getReturnType()
                        + "; helpers return a primitive or nothing");
            }
            for (int i = 0; i < tree.getParameters().size(); i++) {
                params.add(bindParam(tree.getParameters().get(i), i));
            }
        } catch (SubsetViolation v) {
            report(v);
            return null;
        }
        Stmt.Block body = block(tree.getBody(), true);
        for (Tree store : nest.misplacedStores()) {
            report(scope.violation(store, "stores to typed arrays must be inside the innermost parallel loop"));
        }
        return failed ? null : new Function(irName, method.getSimpleName().toString(), params, scope.returnType(),
                body, source.line(tree.getReturnType() == null ? tree : tree.getReturnType()));
    }

    private void report(SubsetViolation v) {
        failed = true;
        if (v.tree() != null) {
            source.error(v.tree(), v.getMessage());
        }
    }

    private Param bindParam(VariableTree p, int index) {
        Element element = source.element(p);
        TypeMirror type = element.asType();
        String name = p.getName().toString();
        ScalarType scalar = TypeMapping.scalar(type);
        if (scalar != null && scalar != ScalarType.VOID) {
            if (scope.isKernel() && (scalar == ScalarType.I8 || scalar == ScalarType.I16)) {
                throw scope.violation(p, "parameter " + name + " of type " + type
                        + " is not allowed; kernels take int, long, float, double and boolean scalars");
            }
            scope.bind(element, new Binding.ScalarParam(index, name, scalar));
            return new Param.ScalarParam(name, scalar);
        }
        if (TypeMapping.typedArray(type) != null) {
            scope.bind(element, new Binding.ArrayParam(new ArrayTarget.Global(index, name, TypeMapping.typedArray(type))));
            return new Param.ArrayParam(name, TypeMapping.typedArray(type));
        }
        if (TypeMapping.isContext(type) && scope.isKernel()) {
            if (hasContext) {
                throw scope.violation(p, "a kernel takes at most one KernelContext");
            }
            hasContext = true;
            nest.forbid("a kernel uses either @Parallel loops or a KernelContext, not both");
            scope.bind(element, new Binding.ContextParam(name));
            return new Param.ContextParam(name);
        }
        throw scope.violation(p, "parameter " + name + " of type " + type + " is not allowed; "
                + (scope.isKernel() ? "kernels take typed arrays, primitives and one KernelContext"
                : "helpers take typed arrays and primitives"));
    }

    /** {@code home}: the block may hold the next parallel loop of the nest (kernel body, parallel loop body). */
    private Stmt.Block block(BlockTree block, boolean home) {
        List<Stmt> out = new ArrayList<>();
        for (StatementTree st : block.getStatements()) {
            try {
                Stmt s = statement(st, home);
                if (s != null) {
                    out.add(s);
                }
            } catch (SubsetViolation v) {
                report(v);
            }
        }
        return new Stmt.Block(out, source.line(block));
    }

    private Stmt statement(StatementTree st, boolean home) {
        int line = source.line(st);
        return switch (st) {
            case BlockTree b -> block(b, home);
            case VariableTree v -> declare(v, home);
            case ExpressionStatementTree e -> expressionStatement(e.getExpression());
            case IfTree i -> new Stmt.If(exprs.lower(i.getCondition(), ScalarType.BOOL), nested(i.getThenStatement()),
                    i.getElseStatement() == null ? null : nested(i.getElseStatement()), line);
            case ForLoopTree f when isParallel(f) -> parallelFor(f, home, line);
            case ForLoopTree f -> forLoop(f, line);
            case WhileLoopTree w -> {
                Expr cond = exprs.lower(w.getCondition(), ScalarType.BOOL);
                yield new Stmt.While(cond, loopBody(w.getStatement()), line);
            }
            case DoWhileLoopTree d -> {
                Stmt body = loopBody(d.getStatement());
                yield new Stmt.DoWhile(body, exprs.lower(d.getCondition(), ScalarType.BOOL), line);
            }
            case BreakTree b -> {
                if (b.getLabel() != null) {
                    throw scope.violation(st, "labeled break is not supported in a kernel");
                }
                if (Boolean.TRUE.equals(loops.peek())) {
                    throw scope.violation(st, "break out of a parallel loop is not allowed; its iterations are independent");
                }
                yield new Stmt.Break(line);
            }
            case ContinueTree c -> {
                if (c.getLabel() != null) {
                    throw scope.violation(st, "labeled continue is not supported in a kernel");
                }
                yield new Stmt.Continue(line);
            }
            case ReturnTree r -> returnStatement(r, line);
            default -> switch (st.getKind()) {
                case EMPTY_STATEMENT -> null;
                case SWITCH -> throw scope.violation(st, "switch is not supported in a kernel; use if/else");
                case TRY, THROW -> throw scope.violation(st, "exceptions (try, catch, throw) are not allowed in a kernel");
                case LABELED_STATEMENT -> throw scope.violation(st, "labeled statements are not supported in a kernel");
                case ENHANCED_FOR_LOOP -> throw scope.violation(st, "for-each loops are not allowed in a kernel");
                case SYNCHRONIZED -> throw scope.violation(st, "synchronized is not allowed in a kernel");
                case ASSERT -> throw scope.violation(st, "assert is not allowed in a kernel");
                case CLASS, RECORD, INTERFACE, ENUM -> throw scope.violation(st, "local classes are not allowed in a kernel");
                default -> throw scope.violation(st, "this statement (" + st.getKind() + ") is not allowed in a kernel");
            };
        };
    }

    private Stmt nested(StatementTree st) {
        Stmt s = statement(st, false);
        return s == null ? new Stmt.Block(List.of(), source.line(st)) : s;
    }

    private Stmt loopBody(StatementTree st) {
        loops.push(false);
        try {
            return nested(st);
        } finally {
            loops.pop();
        }
    }

    private Stmt returnStatement(ReturnTree r, int line) {
        if (loops.contains(true)) {
            throw scope.violation(r, "return inside a parallel loop is not allowed; use continue");
        }
        if (r.getExpression() == null) {
            return new Stmt.Return(null, line);
        }
        return new Stmt.Return(exprs.lower(r.getExpression(), scope.returnType()), line);
    }

    private Stmt declare(VariableTree v, boolean home) {
        if (hasParallelAnnotation(v)) {
            throw scope.violation(v, "@Parallel marks the variable of a for loop: for (@Parallel int i = 0; i < n; i++)");
        }
        Element element = source.element(v);
        TypeMirror type = element.asType();
        String name = v.getName().toString();
        int line = source.line(v);
        ScalarType scalar = TypeMapping.scalar(type);
        if (scalar != null && scalar != ScalarType.VOID) {
            Local local = scope.newLocal(name, scalar);
            scope.bind(element, new Binding.LocalVar(local, false));
            Expr init = v.getInitializer() == null ? null : exprs.lower(v.getInitializer(), scalar);
            return new Stmt.Declare(local, init, line);
        }
        if (type instanceof javax.lang.model.type.ArrayType array) {
            return JavaArrays.declare(scope, exprs, v, element, array, home && nest.depth() == 0);
        }
        if (TypeMapping.typedArray(type) != null) {
            throw scope.violation(v, "typed arrays cannot be held in local variables; use the parameter itself");
        }
        if (v.getInitializer() != null) {
            exprs.lower(v.getInitializer()); // names what is wrong with the value (allocation, string, lambda)
        }
        throw scope.violation(v, "variables of type " + type + " are not allowed in a kernel");
    }

    private Stmt expressionStatement(ExpressionTree e) {
        int line = source.line(e);
        return switch (e) {
            case MethodInvocationTree call -> {
                Stmt s = exprs.invocations().statement(call);
                if (s instanceof Stmt.Store st && st.array() instanceof ArrayTarget.Global) {
                    nest.store(e);
                }
                yield s;
            }
            case AssignmentTree a -> update(a.getVariable(), current -> exprs.lower(a.getExpression()), line);
            case CompoundAssignmentTree c -> {
                BinaryOp op = ExprLowering.binaryOp(c);
                Expr rhs = exprs.lower(c.getExpression());
                yield update(c.getVariable(), current -> ExprLowering.combine(op, current, rhs,
                        Conversions.promote(current.type()), line), line);
            }
            case UnaryTree u when u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_INCREMENT
                    || u.getKind() == Tree.Kind.POSTFIX_DECREMENT || u.getKind() == Tree.Kind.PREFIX_DECREMENT -> {
                BinaryOp op = u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_INCREMENT
                        ? BinaryOp.ADD : BinaryOp.SUB;
                yield update(u.getExpression(), current -> ExprLowering.combine(op, current, Expr.Const.ofInt(1, line),
                        Conversions.promote(current.type()), line), line);
            }
            default -> throw scope.violation(e, "this expression is not a statement a kernel may use");
        };
    }

    /** Assigns {@code value(current)} to the local or Java array element {@code target}. */
    private Stmt update(ExpressionTree target, UnaryOperator<Expr> value, int line) {
        if (target instanceof IdentifierTree id) {
            Element element = source.element(id);
            Binding binding = element == null ? null : scope.binding(element);
            switch (binding) {
                case Binding.LocalVar l when l.parallel() -> throw scope.violation(target,
                        "the variable " + id.getName() + " of a parallel loop must not be assigned");
                case Binding.LocalVar l -> {
                    return new Stmt.Assign(l.local(), Conversions.convert(
                            value.apply(new Expr.LocalRef(l.local(), line)), l.local().type()), line);
                }
                case Binding.ScalarParam p -> throw scope.violation(target,
                        "parameter " + p.name() + " cannot be assigned in a kernel; copy it into a local variable");
                case null -> {
                    if (element != null && element.getKind() == ElementKind.FIELD) {
                        throw scope.violation(target, "fields cannot be assigned in a kernel");
                    }
                    throw scope.violation(target, "'" + id.getName() + "' cannot be assigned in a kernel");
                }
                default -> throw scope.violation(target, "'" + id.getName() + "' cannot be assigned in a kernel");
            }
        }
        if (target instanceof ArrayAccessTree access) {
            return JavaArrays.update(scope, exprs, access, value, line);
        }
        throw scope.violation(target, "only locals and elements of arrays declared in the kernel can be assigned");
    }

    private Stmt forLoop(ForLoopTree f, int line) {
        List<Stmt> init = new ArrayList<>();
        for (StatementTree s : f.getInitializer()) {
            init.add(statement(s, false));
        }
        Expr cond = f.getCondition() == null ? null : exprs.lower(f.getCondition(), ScalarType.BOOL);
        List<Stmt> update = new ArrayList<>();
        for (ExpressionStatementTree u : f.getUpdate()) {
            update.add(expressionStatement(u.getExpression()));
        }
        return new Stmt.For(init, cond, update, loopBody(f.getStatement()), line);
    }

    private boolean isParallel(ForLoopTree f) {
        return f.getInitializer().size() == 1 && f.getInitializer().getFirst() instanceof VariableTree v
                && hasParallelAnnotation(v);
    }

    private boolean hasParallelAnnotation(VariableTree v) {
        List<AnnotationTree> annotations = new ArrayList<>(v.getModifiers().getAnnotations());
        if (v.getType() instanceof AnnotatedTypeTree t) {
            annotations.addAll(t.getAnnotations());
        }
        for (AnnotationTree a : annotations) {
            if ((TypeMapping.API + "Parallel").equals(TypeMapping.className(source.type(a.getAnnotationType())))) {
                return true;
            }
        }
        return false;
    }

    private Stmt parallelFor(ForLoopTree f, boolean home, int line) {
        VariableTree v = (VariableTree) f.getInitializer().getFirst();
        int dimension = nest.enter(f, home, loops);
        Element element = source.element(v);
        ScalarType type = TypeMapping.scalar(element.asType());
        if (type != ScalarType.I32 && type != ScalarType.I64) {
            throw scope.violation(v, "the variable of a parallel loop is an int or a long");
        }
        if (v.getInitializer() == null) {
            throw scope.violation(v, "the variable of a parallel loop needs a start value");
        }
        Expr start = nest.bound(exprs.lower(v.getInitializer(), type), v.getInitializer());
        Expr bound = nest.bound(parallelBound(f, element, type), f.getCondition());
        nest.checkUpdate(f, element);
        Local var = scope.newLocal(v.getName().toString(), type);
        scope.bind(element, new Binding.LocalVar(var, true));
        loops.push(true);
        try {
            Stmt body = statement(f.getStatement(), true);
            return new Stmt.ParallelFor(dimension, var, start, bound,
                    body == null ? new Stmt.Block(List.of(), line) : body, line);
        } finally {
            loops.pop();
            nest.exit();
        }
    }

    private Expr parallelBound(ForLoopTree f, Element var, ScalarType type) {
        if (f.getCondition() instanceof com.sun.source.tree.BinaryTree cond && cond.getKind() == Tree.Kind.LESS_THAN
                && cond.getLeftOperand() instanceof IdentifierTree id && var.equals(source.element(id))) {
            Expr bound = exprs.lower(cond.getRightOperand());
            ScalarType compared = Conversions.promote(type, bound.type());
            if (!compared.isInteger()) {
                throw scope.violation(cond, "the bound of a parallel loop is an integer");
            }
            return Conversions.convert(bound, compared);
        }
        throw scope.violation(f.getCondition() == null ? f : f.getCondition(),
                "the condition of a parallel loop is " + var.getSimpleName() + " < bound");
    }

    /** Used by the IR checks of loop bounds: true when {@code e} mentions no local variable or memory. */
    static boolean isLaunchInvariant(Expr e) {
        boolean[] ok = {true};
        IrNodes.forEachExpr(e, x -> ok[0] &= x instanceof Expr.Const || x instanceof Expr.ParamRef
                || x instanceof Expr.ArrayLength || x instanceof Expr.Unary || x instanceof Expr.Binary
                || x instanceof Expr.Cast || x instanceof Expr.Ternary
                || (x instanceof Expr.IntrinsicCall i && (i.intrinsic() == io.tessera.tasks.compiler.ir.Intrinsic.MATH_MIN
                || i.intrinsic() == io.tessera.tasks.compiler.ir.Intrinsic.MATH_MAX)));
        return ok[0];
    }
}
