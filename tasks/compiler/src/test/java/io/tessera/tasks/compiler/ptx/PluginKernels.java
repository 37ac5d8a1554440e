package io.tessera.tasks.compiler.ptx;

import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import io.tessera.tasks.compiler.testkernels.BasicKernels;
import io.tessera.tasks.compiler.testkernels.ContextKernels;
import io.tessera.tasks.compiler.testkernels.HelperKernels;
import io.tessera.tasks.compiler.testkernels.QuantKernels;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The IR the javac plugin wrote for every {@code @Kernel} method of the test kernel classes. */
public final class PluginKernels {
    private PluginKernels() {
    }

    public record Named(String name, KernelIr ir) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Named> all() {
        List<Named> out = new ArrayList<>();
        for (Class<?> owner : List.of(BasicKernels.class, ContextKernels.class, HelperKernels.class,
                HelperKernels.Nested.class, QuantKernels.class)) {
            List<Method> methods = new ArrayList<>(List.of(owner.getDeclaredMethods()));
            methods.sort(Comparator.comparing(Method::getName));
            for (Method m : methods) {
                if (m.isAnnotationPresent(Kernel.class)) {
                    out.add(new Named(owner.getSimpleName() + "." + m.getName(), KernelIrStore.load(m)));
                }
            }
        }
        return out;
    }
}
