package io.tessera.tasks.runtime.jvm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/** Calls a static method with its arguments in an {@code Object[]}, through one spread method handle. */
final class Invoker {
    private final MethodHandle spread;

    Invoker(Method method) {
        try {
            if (!method.canAccess(null)) {
                method.setAccessible(true);
            }
            MethodHandle direct = MethodHandles.lookup().unreflect(method);
            int n = method.getParameterCount();
            this.spread = direct.asType(MethodType.genericMethodType(n).changeReturnType(void.class))
                    .asSpreader(Object[].class, n);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot call " + method + ": " + e.getMessage(), e);
        }
    }

    void invoke(Object[] args) {
        try {
            spread.invokeExact(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new WorkerPool.KernelFailure(e);
        }
    }
}
