package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.Trees;
import io.tessera.tasks.compiler.ir.KernelIr;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/** Finds the {@code @Kernel} methods of each class javac has analysed, lowers them and writes their IR. */
final class KernelScanner implements TaskListener {
    private final Trees trees;
    private final Elements elements;
    private final IrOutput output;
    private final Set<String> done = new HashSet<>();

    KernelScanner(JavacTask task, IrOutput output) {
        this.trees = Trees.instance(task);
        this.elements = task.getElements();
        this.output = output;
    }

    @Override
    public void finished(TaskEvent e) {
        if (e.getKind() == TaskEvent.Kind.ANALYZE && e.getTypeElement() != null && e.getCompilationUnit() != null) {
            scan(e.getTypeElement(), new SourceInfo(trees, e.getCompilationUnit()));
        }
    }

    private void scan(TypeElement type, SourceInfo source) {
        if (!done.add(elements.getBinaryName(type).toString())) {
            return;
        }
        HelperRegistry helpers = new HelperRegistry(source, type);
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (HelperRegistry.isKernel(method)) {
                kernel(method, source, helpers);
            }
        }
        for (Element member : type.getEnclosedElements()) {
            if (member instanceof TypeElement nested) {
                scan(nested, source);
            }
        }
    }

    private void kernel(ExecutableElement method, SourceInfo source, HelperRegistry helpers) {
        MethodTree tree = trees.getTree(method);
        if (tree == null) {
            return;
        }
        String name = method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
        if (output.problem() != null) {
            source.error(tree, "kernel " + name + ": cannot write its IR: " + output.problem());
            return;
        }
        KernelIr ir = new KernelLowering(source, helpers, elements).lower(tree, method);
        if (ir == null) {
            return;
        }
        CompilationUnitTree unit = source.unit();
        try {
            output.write(ir, elements.getPackageOf(method).getQualifiedName().toString(), unit.getSourceFile());
        } catch (IOException | RuntimeException e) {
            source.error(tree, "kernel " + name + ": cannot write its IR: " + e);
        }
    }
}
