package io.tessera.tasks.api;

import java.io.Serializable;

/** A task of 15 arguments: a method reference to a {@link Kernel} method. */
@FunctionalInterface
public interface Task15<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> extends Serializable {
    void apply(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15);
}
