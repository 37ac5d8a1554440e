package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.VariableTree;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.IrNodes;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Element;
import javax.lang.model.type.ArrayType;

/** Java arrays in kernels: private {@code new T[constant]} arrays and KernelContext local memory. */
final class JavaArrays {
    private JavaArrays() {
    }

    /** Lowers {@code T[] name = new T[n]} or {@code T[] name = context.allocateTLocalArray(n)}. */
    static Stmt declare(FunctionScope scope, ExprLowering exprs, VariableTree v, Element element, ArrayType type,
                        boolean kernelTop) {
        ScalarType elementType = TypeMapping.scalar(type.getComponentType());
        String name = v.getName().toString();
        if (elementType == null) {
            throw scope.violation(v, "arrays of " + type.getComponentType() + " are not allowed in a kernel");
        }
        int line = scope.source().line(v);
        if (v.getInitializer() instanceof NewArrayTree n && n.getDimensions().size() == 1 && n.getInitializers() == null) {
            int length = exprs.invocations().constantInt(n.getDimensions().getFirst(), "the length of a private array");
            if (length <= 0) {
                throw scope.violation(n, "the length of a private array must be positive");
            }
            ArrayVar array = scope.newArray(name, elementType, length, ArrayVar.Space.PRIVATE);
            scope.bind(element, new Binding.JavaArray(array));
            return new Stmt.DeclareArray(array, line);
        }
        int localLength = v.getInitializer() == null ? -1 : exprs.invocations().localArrayLength(v.getInitializer(), elementType);
        if (localLength >= 0) {
            if (!kernelTop || !scope.isKernel()) {
                throw scope.violation(v, "local arrays are allocated at the top level of the kernel body");
            }
            if (localLength <= 0) {
                throw scope.violation(v, "the length of a local array must be positive");
            }
            ArrayVar array = scope.newArray(name, elementType, localLength, ArrayVar.Space.LOCAL);
            scope.bind(element, new Binding.JavaArray(array));
            return new Stmt.DeclareArray(array, line);
        }
        throw scope.violation(v, "array variables are declared as T[] " + name + " = new T[constant] "
                + "or from KernelContext.allocateFloatLocalArray/allocateIntLocalArray(constant)");
    }

    /** {@code array[index] = value(array[index])}, evaluating the index once. */
    static Stmt update(FunctionScope scope, ExprLowering exprs, ArrayAccessTree access, UnaryOperator<Expr> value, int line) {
        ArrayVar array = exprs.javaArray(access.getExpression()).array();
        Expr index = exprs.lower(access.getIndex(), ScalarType.I32);
        boolean[] hasCall = {false};
        IrNodes.forEachExpr(index, e -> hasCall[0] |= e instanceof Expr.Call);
        if (!hasCall[0]) {
            return new Stmt.Store(array, index, Conversions.convert(value.apply(new Expr.Load(array, index, line)),
                    array.element()), line);
        }
        Local tmp = scope.newLocal(array.name() + "_index", ScalarType.I32);
        Expr at = new Expr.LocalRef(tmp, line);
        return new Stmt.Block(List.of(new Stmt.Declare(tmp, index, line),
                new Stmt.Store(array, at, Conversions.convert(value.apply(new Expr.Load(array, at, line)),
                        array.element()), line)), line);
    }
}
