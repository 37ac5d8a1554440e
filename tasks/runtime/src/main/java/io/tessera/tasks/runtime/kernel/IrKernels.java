package io.tessera.tasks.runtime.kernel;

import java.lang.reflect.Method;
import java.util.Optional;

/** Kernel models built from the IR the javac plugin stores beside each kernel's class. */
final class IrKernels {
    private IrKernels() {
    }

    static Optional<KernelModel> load(Method method) {
        String resource = method.getDeclaringClass().getName().replace('.', '/') + "." + method.getName() + ".kir";
        if (method.getDeclaringClass().getClassLoader() == null
                || method.getDeclaringClass().getClassLoader().getResource(resource) == null) {
            return Optional.empty();
        }
        throw new MissingKernelIrException("kernel " + method.getDeclaringClass().getName() + "." + method.getName()
                + " has IR (" + resource + ") but this runtime was built without the kernel compiler");
    }

    static String missingMessage(Method method) {
        return "kernel " + method.getDeclaringClass().getName() + "." + method.getName()
                + " has no IR: was its module compiled with -Xplugin:TesseraKernels?";
    }
}
