package io.tessera.tasks.api;

import java.io.Serializable;

/** A task of 1 argument: a method reference to a {@link Kernel} method. */
@FunctionalInterface
public interface Task1<T1> extends Serializable {
    void apply(T1 a1);
}
