package io.tessera.tasks.kernels;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.tessera.tasks.api.Kernel;

/** The classes of the kernel library and their {@code @Kernel} methods, for tools that visit every kernel. */
public final class KernelLibrary {
    /** Every class of the library that holds kernels, grouped by operation. */
    public static final List<Class<?>> CLASSES = List.of(Elementwise.class, Reduce.class, Norm.class,
            Softmax.class, Rope.class, Activation.class, MatVec.class, MatMul.class, Attention.class,
            Embedding.class, Conv.class, Pool.class, KvCache.class, CachedAttention.class, Audio.class,
            Patches.class, ImageAttention.class, Route.class, ExpertMatVec.class, LocalAttention.class, AltUp.class,
            Sparsity.class);

    private KernelLibrary() {
    }

    /** Every kernel, class by class, in declaration-independent (name) order within a class. */
    public static List<Method> kernels() {
        return CLASSES.stream()
                .flatMap(c -> Arrays.stream(c.getDeclaredMethods())
                        .filter(m -> m.isAnnotationPresent(Kernel.class))
                        .sorted(Comparator.comparing(Method::getName)))
                .toList();
    }

    /** {@code Class.method}, the name tools print. */
    public static String name(Method kernel) {
        return kernel.getDeclaringClass().getSimpleName() + "." + kernel.getName();
    }
}
