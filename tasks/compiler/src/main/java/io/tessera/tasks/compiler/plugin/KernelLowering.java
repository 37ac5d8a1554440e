package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.MethodTree;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** Checks the declaration of one {@code @Kernel} method and lowers it, with its helpers, to a {@link KernelIr}. */
final class KernelLowering {
    private final SourceInfo source;
    private final HelperRegistry helpers;
    private final Elements elements;

    KernelLowering(SourceInfo source, HelperRegistry helpers, Elements elements) {
        this.source = source;
        this.helpers = helpers;
        this.elements = elements;
    }

    /** The IR of the kernel, or null when errors were reported. */
    KernelIr lower(MethodTree tree, ExecutableElement method) {
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        String label = "kernel " + owner.getSimpleName() + "." + method.getSimpleName() + ": ";
        boolean ok = true;
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            source.error(tree, label + "a kernel is a static method");
            ok = false;
        }
        if (TypeMapping.scalar(method.getReturnType()) != ScalarType.VOID) {
            source.error(tree.getReturnType(), label + "a kernel returns void, not " + method.getReturnType());
            ok = false;
        }
        if (!method.getTypeParameters().isEmpty()) {
            source.error(tree, label + "a kernel cannot be generic");
            ok = false;
        }
        if (tree.getBody() == null) {
            source.error(tree, label + "a kernel needs a body");
            return null;
        }
        if (!ok) {
            return null;
        }
        Function kernel = new FunctionLowering(source, helpers, tree, method, method.getSimpleName().toString(), true)
                .lower();
        if (kernel == null) {
            return null;
        }
        return new KernelIr(elements.getBinaryName(owner).toString(), source.fileName(), kernel,
                helpers.calledFrom(kernel), jvmImplementation(method));
    }

    private static String jvmImplementation(ExecutableElement method) {
        for (AnnotationMirror a : method.getAnnotationMirrors()) {
            if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(HelperRegistry.KERNEL_ANNOTATION)) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : a.getElementValues().entrySet()) {
                    if (e.getKey().getSimpleName().contentEquals("jvm")) {
                        return (String) e.getValue().getValue();
                    }
                }
            }
        }
        return "";
    }
}
