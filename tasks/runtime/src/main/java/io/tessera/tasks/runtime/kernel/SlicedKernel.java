package io.tessera.tasks.runtime.kernel;

/** A kernel's JVM form that runs dimension-0 iterations {@code [from, to)} of its outermost parallel loop. */
@FunctionalInterface
public interface SlicedKernel {
    void run(Object[] args, int from, int to);
}
