package io.tessera.tasks.api;

import java.io.Serializable;

/** A task of 4 arguments: a method reference to a {@link Kernel} method. */
@FunctionalInterface
public interface Task4<T1, T2, T3, T4> extends Serializable {
    void apply(T1 a1, T2 a2, T3 a3, T4 a4);
}
