package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.Tree;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.Element;

/** The variables of one function being lowered, and what the function is. */
final class FunctionScope {
    private final SourceInfo source;
    private final String label;
    private final boolean kernel;
    private final ScalarType returnType;
    private final HelperRegistry helpers;
    private final Map<Element, Binding> bindings = new HashMap<>();
    private int nextId;

    FunctionScope(SourceInfo source, String label, boolean kernel, ScalarType returnType, HelperRegistry helpers) {
        this.source = source;
        this.label = label;
        this.kernel = kernel;
        this.returnType = returnType;
        this.helpers = helpers;
    }

    SourceInfo source() {
        return source;
    }

    /** How errors name the function: {@code kernel Norms.rmsNorm} or {@code helper Norms.dot}. */
    String label() {
        return label;
    }

    boolean isKernel() {
        return kernel;
    }

    ScalarType returnType() {
        return returnType;
    }

    HelperRegistry helpers() {
        return helpers;
    }

    void bind(Element variable, Binding binding) {
        bindings.put(variable, binding);
    }

    Binding binding(Element variable) {
        return bindings.get(variable);
    }

    Local newLocal(String name, ScalarType type) {
        return new Local(nextId++, name, type);
    }

    ArrayVar newArray(String name, ScalarType element, int length, ArrayVar.Space space) {
        return new ArrayVar(nextId++, name, element, length, space);
    }

    /** A violation of the subset at {@code tree}, with the function named in the message. */
    SubsetViolation violation(Tree tree, String reason) {
        return new SubsetViolation(tree, label + ": " + reason);
    }
}
