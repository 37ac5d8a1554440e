package io.tessera.tasks.compiler.ir;

/** One dimension of a kernel's index space: the iterations {@code [start, bound)} of a parallel loop. */
public record ParallelLoop(int dimension, Local var, Expr start, Expr bound, int line) {
}
