package io.tessera.tasks.api;

import java.io.Serializable;

/** A task of 7 arguments: a method reference to a {@link Kernel} method. */
@FunctionalInterface
public interface Task7<T1, T2, T3, T4, T5, T6, T7> extends Serializable {
    void apply(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7);
}
