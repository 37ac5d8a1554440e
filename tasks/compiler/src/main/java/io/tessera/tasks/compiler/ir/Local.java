package io.tessera.tasks.compiler.ir;

import java.io.Serializable;
import java.util.Objects;

/**
 * A scalar local variable of one function. {@code id} is unique within the function (Java allows
 * the same name in disjoint scopes); {@code name} is the Java name, kept for readable output.
 */
public record Local(int id, String name, ScalarType type) implements Serializable {
    public Local {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (type == ScalarType.VOID) {
            throw new IllegalArgumentException("local " + name + " cannot be void");
        }
    }
}
