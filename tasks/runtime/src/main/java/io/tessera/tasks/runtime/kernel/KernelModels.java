package io.tessera.tasks.runtime.kernel;

import io.tessera.tasks.api.TypedArray;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the model of a kernel method: a registered hand-written kernel, else its stored IR. */
public final class KernelModels {
    private KernelModels() {
    }

    private static final Map<Method, KernelModel> HANDWRITTEN = new ConcurrentHashMap<>();
    private static final Map<Method, KernelModel> FROM_IR = new ConcurrentHashMap<>();

    /** Registers hand-written OpenCL C for {@code kernel.method()}; it replaces generated code. */
    public static void registerHandwritten(HandwrittenKernel kernel) {
        HANDWRITTEN.put(kernel.method(), kernel);
    }

    public static void unregister(Method method) {
        HANDWRITTEN.remove(method);
    }

    /** The model, or empty when the kernel has no IR and no hand-written code. */
    public static Optional<KernelModel> find(Method method) {
        KernelModel handwritten = HANDWRITTEN.get(method);
        if (handwritten != null) {
            return Optional.of(handwritten);
        }
        return Optional.ofNullable(FROM_IR.computeIfAbsent(method, m -> IrKernels.load(m).orElse(null)));
    }

    /** The arrays a kernel may write: what its model knows, else every array parameter. */
    public static Set<Integer> writtenParameters(Method method) {
        return find(method).map(KernelModel::writtenParameters).orElseGet(() -> arrayParameters(method));
    }

    static Set<Integer> arrayParameters(Method method) {
        Set<Integer> arrays = new HashSet<>();
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (TypedArray.class.isAssignableFrom(types[i])) {
                arrays.add(i);
            }
        }
        return Set.copyOf(arrays);
    }

    /** The model, or an error that says how to get one. */
    public static KernelModel require(Method method) {
        return find(method).orElseThrow(() -> new MissingKernelIrException(IrKernels.missingMessage(method)));
    }
}
