package io.tessera.tasks.runtime.kernel;

import io.tessera.tasks.compiler.ir.KernelIrStore;
import java.lang.reflect.Method;
import java.util.Optional;

/** Kernel models built from the IR the javac plugin stores beside each kernel's class. */
final class IrKernels {
    private IrKernels() {
    }

    /** The model, or empty when the class has no IR resource for the kernel; a corrupt IR is an error. */
    static Optional<KernelModel> load(Method method) {
        String resource = "/" + KernelIrStore.resourceName(method.getDeclaringClass().getName(), method.getName());
        if (method.getDeclaringClass().getResource(resource) == null) {
            return Optional.empty();
        }
        return Optional.of(new IrKernelModel(method, KernelIrStore.load(method)));
    }

    static String missingMessage(Method method) {
        return "kernel " + method.getDeclaringClass().getName() + "." + method.getName()
                + " has no IR: was its module compiled with -Xplugin:TesseraKernels?";
    }
}
