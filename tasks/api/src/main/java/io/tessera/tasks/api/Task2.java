package io.tessera.tasks.api;

import java.io.Serializable;

/** A task of 2 arguments: a method reference to a {@link Kernel} method. */
@FunctionalInterface
public interface Task2<T1, T2> extends Serializable {
    void apply(T1 a1, T2 a2);
}
