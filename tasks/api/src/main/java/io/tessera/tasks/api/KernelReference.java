package io.tessera.tasks.api;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Resolves a task's method reference to its {@link Method} through the {@link SerializedLambda}
 * that every serializable lambda writes in place of itself. Serialization hands that form to
 * {@link ObjectOutputStream#replaceObject}, so no reflective access to the lambda class is needed.
 */
final class KernelReference {
    private KernelReference() {
    }

    static Method resolve(String task, Serializable reference) {
        if (reference == null) {
            throw new TaskGraphException("task " + task + ": kernel reference is null");
        }
        SerializedLambda lambda = serializedForm(task, reference);
        String owner = lambda.getImplClass().replace('/', '.');
        String described = owner + "::" + lambda.getImplMethodName();
        if (lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic) {
            throw new TaskGraphException("task " + task + ": " + described
                    + " is not a static method; kernels are static methods annotated @Kernel");
        }
        if (lambda.getImplMethodName().startsWith("lambda$")) {
            throw new TaskGraphException("task " + task + ": the kernel is a lambda expression in " + owner
                    + "; give a method reference to a @Kernel method (Owner::kernel)");
        }
        Method method = find(task, reference.getClass().getClassLoader(), owner,
                lambda.getImplMethodName(), lambda.getImplMethodSignature());
        if (!method.isAnnotationPresent(Kernel.class)) {
            throw new TaskGraphException("task " + task + ": " + described + " is not annotated @Kernel");
        }
        if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != void.class) {
            throw new TaskGraphException("task " + task + ": kernel " + described + " must be static void");
        }
        return method;
    }

    private static Method find(String task, ClassLoader loader, String owner, String name, String descriptor) {
        try {
            Class<?> type = Class.forName(owner, false, loader);
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(name)
                        && MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                        .toMethodDescriptorString().equals(descriptor)) {
                    return m;
                }
            }
            throw new TaskGraphException("task " + task + ": no method " + owner + "::" + name + descriptor);
        } catch (ClassNotFoundException e) {
            throw new TaskGraphException("task " + task + ": kernel class " + owner + " not found", e);
        }
    }

    private static SerializedLambda serializedForm(String task, Serializable reference) {
        try (Capture capture = new Capture()) {
            capture.writeObject(reference);
        } catch (Captured c) {
            return c.lambda;
        } catch (IOException e) {
            throw new TaskGraphException("task " + task + ": cannot resolve the kernel reference", e);
        }
        throw new TaskGraphException("task " + task + ": the kernel must be a method reference to a @Kernel "
                + "method, got an object of " + reference.getClass().getName());
    }

    /** Stops serialization at the first object, which for a lambda is its SerializedLambda. */
    private static final class Capture extends ObjectOutputStream {
        Capture() throws IOException {
            super(OutputStream.nullOutputStream());
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) throws IOException {
            if (obj instanceof SerializedLambda lambda) {
                throw new Captured(lambda);
            }
            return obj;
        }
    }

    private static final class Captured extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient SerializedLambda lambda;

        Captured(SerializedLambda lambda) {
            super("kernel reference captured");
            this.lambda = lambda;
        }
    }
}
