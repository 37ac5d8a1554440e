package io.tessera.tasks.api;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks a task's arguments against its kernel's parameters when the task is added. */
final class TaskArguments {
    private TaskArguments() {
    }

    /** Wrapper classes each primitive parameter accepts: the exact one, or a lossless widening. */
    private static final Map<Class<?>, List<Class<?>>> ACCEPTED = Map.of(
            int.class, List.of(Integer.class),
            long.class, List.of(Long.class, Integer.class),
            float.class, List.of(Float.class),
            double.class, List.of(Double.class, Float.class, Integer.class),
            boolean.class, List.of(Boolean.class));

    static List<Object> check(String task, Method kernel, Object[] args) {
        Class<?>[] params = kernel.getParameterTypes();
        String described = kernel.getDeclaringClass().getName() + "::" + kernel.getName();
        if (params.length != args.length) {
            throw new TaskGraphException("task " + task + ": kernel " + described + " takes " + params.length
                    + " arguments, the task gives " + args.length);
        }
        List<Object> checked = new ArrayList<>(args.length);
        int contexts = 0;
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i];
            Object a = args[i];
            String where = "task " + task + ": argument " + i + " (" + kernel.getParameters()[i].getName()
                    + " of " + described + ")";
            if (p == KernelContext.class) {
                if (++contexts > 1) {
                    throw new TaskGraphException(where + ": a kernel takes at most one KernelContext");
                }
                if (a != null && !(a instanceof KernelContext)) {
                    throw new TaskGraphException(where + ": expected a KernelContext, got " + a.getClass().getName());
                }
                checked.add(TaskGraph.KERNEL_CONTEXT);
            } else if (TypedArray.class.isAssignableFrom(p)) {
                if (a == null) {
                    throw new TaskGraphException(where + ": array argument is null");
                }
                if (!p.isInstance(a)) {
                    throw new TaskGraphException(where + ": expected " + p.getSimpleName() + ", got "
                            + a.getClass().getSimpleName());
                }
                checked.add(a);
            } else if (ACCEPTED.containsKey(p)) {
                if (a == null || !ACCEPTED.get(p).contains(a.getClass())) {
                    throw new TaskGraphException(where + ": expected " + p.getName() + ", got "
                            + (a == null ? "null" : a.getClass().getSimpleName()));
                }
                checked.add(widen(p, a));
            } else {
                throw new TaskGraphException(where + ": parameter type " + p.getName()
                        + " is not a kernel parameter type (typed arrays, int, long, float, double, boolean, "
                        + "KernelContext)");
            }
        }
        return checked;
    }

    private static Object widen(Class<?> p, Object a) {
        Number n = a instanceof Number number ? number : null;
        if (p == long.class) {
            return n.longValue();
        }
        if (p == double.class) {
            return n.doubleValue();
        }
        return a;
    }
}
