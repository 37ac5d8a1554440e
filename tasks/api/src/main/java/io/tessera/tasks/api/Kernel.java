package io.tessera.tasks.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code static void} method as a compute kernel. The build-time front end checks its body
 * against the kernel subset of Java and stores its kernel IR beside the class; task graphs compile
 * that IR for each device at run time. On the JVM the method itself runs.
 *
 * <p>{@link #jvm()} may name a static method of the same class with the same parameters that the
 * JVM backend prefers (typically a Vector API form); it is tested against this method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Kernel {
    /** Name of a hand-vectorised JVM implementation in the same class, or empty. */
    String jvm() default "";
}
