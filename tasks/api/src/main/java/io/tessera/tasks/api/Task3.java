package io.tessera.tasks.api;

import java.io.Serializable;

/** A task of 3 arguments: a method reference to a {@link Kernel} method. */
@FunctionalInterface
public interface Task3<T1, T2, T3> extends Serializable {
    void apply(T1 a1, T2 a2, T3 a3);
}
