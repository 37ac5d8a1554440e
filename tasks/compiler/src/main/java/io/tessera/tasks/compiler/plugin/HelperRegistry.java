package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.IrNodes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The helper functions of one class: each is lowered once, under a name unique in the class
 * (overloads get a suffix), and shared by the kernels that call it. Recursion is rejected.
 */
final class HelperRegistry {
    static final String KERNEL_ANNOTATION = TypeMapping.API + "Kernel";

    private final SourceInfo source;
    private final TypeElement owner;
    private final Map<ExecutableElement, Function> lowered = new HashMap<>();
    private final Map<String, Function> byName = new LinkedHashMap<>();
    private final Map<ExecutableElement, String> names = new HashMap<>();
    private final Set<ExecutableElement> failed = new HashSet<>();
    private final Deque<ExecutableElement> inProgress = new ArrayDeque<>();

    HelperRegistry(SourceInfo source, TypeElement owner) {
        this.source = source;
        this.owner = owner;
    }

    TypeElement owner() {
        return owner;
    }

    static boolean isKernel(ExecutableElement method) {
        for (AnnotationMirror a : method.getAnnotationMirrors()) {
            if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(KERNEL_ANNOTATION)) {
                return true;
            }
        }
        return false;
    }

    /** The IR name of helper {@code method}, lowering it first if needed. */
    String functionFor(ExecutableElement method, Tree callSite, FunctionScope caller) {
        Function done = lowered.get(method);
        if (done != null) {
            return done.name();
        }
        if (failed.contains(method)) {
            throw SubsetViolation.alreadyReported();
        }
        if (inProgress.contains(method)) {
            String cycle = inProgress.reversed().stream().map(m -> m.getSimpleName().toString())
                    .collect(Collectors.joining(" -> ")) + " -> " + method.getSimpleName();
            throw caller.violation(callSite, "recursion is not allowed in a kernel (" + cycle + ")");
        }
        MethodTree tree = source.trees().getTree(method);
        if (tree == null || tree.getBody() == null) {
            throw caller.violation(callSite, "helper " + method.getSimpleName() + " has no body in this source file");
        }
        inProgress.push(method);
        try {
            Function function = new FunctionLowering(source, this, tree, method, nameFor(method), false).lower();
            if (function == null) {
                failed.add(method);
                throw SubsetViolation.alreadyReported();
            }
            lowered.put(method, function);
            byName.put(function.name(), function);
            return function.name();
        } finally {
            inProgress.pop();
        }
    }

    private String nameFor(ExecutableElement method) {
        return names.computeIfAbsent(method, m -> {
            String base = m.getSimpleName().toString();
            String name = base;
            for (int n = 1; names.containsValue(name); n++) {
                name = base + "_" + n;
            }
            return name;
        });
    }

    /** The helpers that {@code kernel} calls, directly or through other helpers, in first-call order. */
    List<Function> calledFrom(Function kernel) {
        Map<String, Function> result = new LinkedHashMap<>();
        Deque<Function> work = new ArrayDeque<>(List.of(kernel));
        while (!work.isEmpty()) {
            Function f = work.pop();
            List<String> calls = new ArrayList<>();
            IrNodes.forEachExpr(f.body(), e -> {
                if (e instanceof Expr.Call c) {
                    calls.add(c.function());
                }
            });
            for (String name : calls) {
                Function helper = byName.get(name);
                if (helper != null && result.putIfAbsent(name, helper) == null) {
                    work.add(helper);
                }
            }
        }
        return List.copyOf(result.values());
    }
}
