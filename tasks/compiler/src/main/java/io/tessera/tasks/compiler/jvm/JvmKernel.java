package io.tessera.tasks.compiler.jvm;

/**
 * A kernel compiled for the JVM from its IR: {@link #run} does the iterations {@code [from, to)}
 * of the outermost parallel loop (counted from its start) and every iteration of the inner ones.
 * A kernel without parallel loops is one iteration: it runs in the slice that holds iteration 0.
 */
public interface JvmKernel {
    /** {@code args}: the kernel's arguments in Java order (typed arrays and boxed primitives). */
    void run(Object[] args, int from, int to);
}
