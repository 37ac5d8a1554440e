package io.tessera.tasks.compiler.ir;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A kernel body or a helper (device) function. {@code name} is unique within its
 * {@link KernelIr}: the Java name, suffixed when the Java method is overloaded.
 */
public record Function(String name, String javaName, List<Param> params, ScalarType returnType,
                       Stmt.Block body, int line) implements Serializable {
    public Function {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(javaName, "javaName");
        params = List.copyOf(params);
        Objects.requireNonNull(returnType, "returnType");
        Objects.requireNonNull(body, "body");
    }
}
