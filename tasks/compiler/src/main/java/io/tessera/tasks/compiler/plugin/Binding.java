package io.tessera.tasks.compiler.plugin;

import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.ScalarType;

/** What a Java variable of a function is bound to in the IR. */
sealed interface Binding {

    record ScalarParam(int index, String name, ScalarType type) implements Binding {
    }

    record ArrayParam(ArrayTarget.Global array) implements Binding {
    }

    record ContextParam(String name) implements Binding {
    }

    /** A local; {@code parallel} marks the variable of a parallel loop, which must not be assigned. */
    record LocalVar(Local local, boolean parallel) implements Binding {
    }

    record JavaArray(ArrayVar array) implements Binding {
    }
}
