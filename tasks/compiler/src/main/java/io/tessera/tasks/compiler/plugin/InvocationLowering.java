package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ByteAccess;
import io.tessera.tasks.compiler.ir.ContextQuery;
import io.tessera.tasks.compiler.ir.Evaluator;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Intrinsic;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Lowers method calls: typed-array access, {@code KernelContext} queries and barriers, library
 * intrinsics and helper functions. Everything else is outside the subset.
 */
final class InvocationLowering {
    private static final String ALLOWED_CALLS = "kernels may call get/set/length() of typed arrays, "
            + "ByteArray getShort/getHalf/getInt, KernelContext methods, Math, KernelMath and Float intrinsics, "
            + "and static helper methods of the same class";

    private final FunctionScope scope;
    private final SourceInfo source;
    private final ExprLowering exprs;

    InvocationLowering(FunctionScope scope, ExprLowering exprs) {
        this.scope = scope;
        this.source = scope.source();
        this.exprs = exprs;
    }

    private ExecutableElement method(MethodInvocationTree tree) {
        if (source.element(tree) instanceof ExecutableElement m) {
            return m;
        }
        throw scope.violation(tree, "call of unknown method " + tree.getMethodSelect());
    }

    private static String owner(ExecutableElement m) {
        return ((TypeElement) m.getEnclosingElement()).getQualifiedName().toString();
    }

    private static String name(ExecutableElement m) {
        return m.getSimpleName().toString();
    }

    /** A call used for its value. */
    Expr value(MethodInvocationTree tree) {
        ExecutableElement m = method(tree);
        int line = source.line(tree);
        String owner = owner(m);
        if (isTypedArrayMethod(owner)) {
            return arrayRead(tree, m, line);
        }
        if (owner.equals(TypeMapping.KERNEL_CONTEXT)) {
            ContextQuery query = ContextQuery.lookup(name(m));
            if (query == null) {
                throw scope.violation(tree, "KernelContext." + name(m) + "() is a statement here, not a value");
            }
            contextReceiver(tree);
            return new Expr.Context(query, dimension(tree.getArguments().getFirst()), line);
        }
        Intrinsic intrinsic = Intrinsic.lookup(owner, name(m));
        if (intrinsic != null) {
            return new Expr.IntrinsicCall(intrinsic, scalarArgs(tree, m), TypeMapping.scalar(m.getReturnType()), line);
        }
        Expr.Call call = helperCall(tree, m, line);
        if (call.type() == ScalarType.VOID) {
            throw scope.violation(tree, "helper " + name(m) + " returns nothing; call it as a statement");
        }
        return call;
    }

    /** A call used as a statement. */
    Stmt statement(MethodInvocationTree tree) {
        ExecutableElement m = method(tree);
        int line = source.line(tree);
        String owner = owner(m);
        if (isTypedArrayMethod(owner) && name(m).equals("set")) {
            ArrayTarget.Global array = arrayReceiver(tree);
            List<? extends ExpressionTree> args = tree.getArguments();
            return new Stmt.Store(array, exprs.lower(args.get(0), ScalarType.I64),
                    exprs.lower(args.get(1), array.valueType()), line);
        }
        if (owner.equals(TypeMapping.KERNEL_CONTEXT) && name(m).endsWith("Barrier")) {
            contextReceiver(tree);
            if (!scope.isKernel()) {
                throw scope.violation(tree, "barriers belong in the kernel body, not in helpers");
            }
            return new Stmt.Barrier(name(m).equals("localBarrier") ? Stmt.Barrier.Fence.LOCAL
                    : Stmt.Barrier.Fence.GLOBAL, line);
        }
        if (owner.equals(TypeMapping.KERNEL_CONTEXT) && name(m).startsWith("allocate")) {
            throw scope.violation(tree, "local arrays are allocated in a declaration at the top of the kernel body, "
                    + "as in float[] partial = context.allocateFloatLocalArray(256)");
        }
        if (Intrinsic.lookup(owner, name(m)) == null && !isTypedArrayMethod(owner)
                && !owner.equals(TypeMapping.KERNEL_CONTEXT)) {
            return new Stmt.Eval(helperCall(tree, m, line), line);
        }
        return new Stmt.Eval(value(tree), line);
    }

    /** The constant length of a {@code KernelContext.allocate*LocalArray(n)} call, or -1 if it is none. */
    int localArrayLength(ExpressionTree init, ScalarType element) {
        if (!(init instanceof MethodInvocationTree call) || !(source.element(call) instanceof ExecutableElement m)
                || !owner(m).equals(TypeMapping.KERNEL_CONTEXT) || !name(m).startsWith("allocate")) {
            return -1;
        }
        contextReceiver(call);
        return constantInt(call.getArguments().getFirst(), "the length of a local array");
    }

    /** The value of a constant {@code int} expression; {@code what} names it in the error. */
    int constantInt(ExpressionTree tree, String what) {
        Expr value = exprs.lower(tree, ScalarType.I32);
        try {
            return (Integer) new Evaluator(null).evaluate(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw scope.violation(tree, what + " must be a constant (literals and static final fields)");
        }
    }

    private int dimension(ExpressionTree tree) {
        int d = constantInt(tree, "the dimension of a KernelContext query");
        if (d < 0 || d > 2) {
            throw scope.violation(tree, "dimension " + d + " is not 0, 1 or 2");
        }
        return d;
    }

    private static boolean isTypedArrayMethod(String owner) {
        return owner.startsWith(TypeMapping.API) && (owner.endsWith("Array"));
    }

    private Expr arrayRead(MethodInvocationTree tree, ExecutableElement m, int line) {
        ArrayTarget.Global array = arrayReceiver(tree);
        List<? extends ExpressionTree> args = tree.getArguments();
        String name = name(m);
        if (name.equals("get") && args.size() == 1) {
            return new Expr.Load(array, exprs.lower(args.getFirst(), ScalarType.I64), line);
        }
        if (name.equals("length") && args.isEmpty()) {
            return new Expr.ArrayLength(array, line);
        }
        for (ByteAccess access : ByteAccess.values()) {
            if (access.javaMethod().equals(name) && owner(m).endsWith(".ByteArray")) {
                return new Expr.ByteLoad(array, access, exprs.lower(args.getFirst(), ScalarType.I64), line);
            }
        }
        if (name.equals("set")) {
            throw scope.violation(tree, "set(...) is a statement, not a value");
        }
        throw scope.violation(tree, array.name() + "." + name + "() is not allowed in a kernel: typed arrays offer "
                + "get, set and length() (and ByteArray getShort, getHalf, getInt)");
    }

    private ArrayTarget.Global arrayReceiver(MethodInvocationTree tree) {
        if (tree.getMethodSelect() instanceof MemberSelectTree select && select.getExpression() instanceof IdentifierTree id
                && scope.binding(source.element(id)) instanceof Binding.ArrayParam a) {
            return a.array();
        }
        throw scope.violation(tree, "typed-array methods may only be called on the function's typed-array parameters");
    }

    private void contextReceiver(MethodInvocationTree tree) {
        if (!(tree.getMethodSelect() instanceof MemberSelectTree select && select.getExpression() instanceof IdentifierTree id
                && scope.binding(source.element(id)) instanceof Binding.ContextParam)) {
            throw scope.violation(tree, "KernelContext methods may only be called on the kernel's KernelContext parameter");
        }
    }

    private List<Expr> scalarArgs(MethodInvocationTree tree, ExecutableElement m) {
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < tree.getArguments().size(); i++) {
            ScalarType type = TypeMapping.scalar(m.getParameters().get(i).asType());
            args.add(exprs.lower(tree.getArguments().get(i), type));
        }
        return args;
    }

    private Expr.Call helperCall(MethodInvocationTree tree, ExecutableElement m, int line) {
        HelperRegistry helpers = scope.helpers();
        if (!m.getEnclosingElement().equals(helpers.owner())) {
            if (tree.getMethodSelect() instanceof MemberSelectTree select
                    && !(source.element(select.getExpression()) instanceof TypeElement)) {
                exprs.lower(select.getExpression()); // names what is wrong with the receiver (allocation, string)
            }
            throw scope.violation(tree, "call of " + owner(m) + "." + name(m) + " is not allowed in a kernel: "
                    + ALLOWED_CALLS);
        }
        if (!m.getModifiers().contains(Modifier.STATIC)) {
            throw scope.violation(tree, "instance method " + name(m) + " cannot be called from a kernel; make it static");
        }
        if (HelperRegistry.isKernel(m)) {
            throw scope.violation(tree, "kernel " + name(m) + " cannot be called from a kernel; "
                    + "move the shared code into a helper method");
        }
        if (m.isVarArgs()) {
            throw scope.violation(tree, "varargs helper " + name(m) + " is not allowed in a kernel");
        }
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < tree.getArguments().size(); i++) {
            VariableElement p = m.getParameters().get(i);
            ExpressionTree arg = tree.getArguments().get(i);
            ScalarType type = TypeMapping.scalar(p.asType());
            if (type != null) {
                args.add(exprs.lower(arg, type));
            } else if (arg instanceof IdentifierTree id && scope.binding(source.element(id)) instanceof Binding.ArrayParam a
                    && TypeMapping.typedArray(p.asType()) == a.array().element()) {
                args.add(new Expr.ArrayArg(a.array(), line));
            } else if (TypeMapping.isContext(p.asType())) {
                throw scope.violation(arg, "the KernelContext cannot be passed to helpers; keep its calls in the kernel body");
            } else {
                throw scope.violation(arg, "helpers take primitives and typed-array parameters passed unchanged");
            }
        }
        String function = helpers.functionFor(m, tree, scope);
        return new Expr.Call(function, args, TypeMapping.scalar(m.getReturnType()), line);
    }
}
