package io.tessera.tasks.compiler.ir;

import java.util.Objects;

/**
 * A Java array of constant length inside a kernel: work-group local memory allocated through
 * {@code KernelContext}, or a small private array ({@code new float[8]}).
 */
public record ArrayVar(int id, String name, ScalarType element, int length, Space space)
        implements ArrayTarget {

    /** Where the array lives. */
    public enum Space { LOCAL, PRIVATE }

    public ArrayVar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(space, "space");
        if (!element.isNumeric() && element != ScalarType.BOOL) {
            throw new IllegalArgumentException("array " + name + " of " + element);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("array " + name + " has length " + length);
        }
    }

    @Override
    public ScalarType valueType() {
        return element;
    }
}
