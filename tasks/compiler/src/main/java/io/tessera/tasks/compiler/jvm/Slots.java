package io.tessera.tasks.compiler.jvm;

import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Local-variable slots of one generated method: parameters first, then each IR variable once. */
final class Slots {
    private final int[] params;
    private final Map<Integer, Integer> variables = new HashMap<>();
    private int next;

    Slots(List<Param> parameters) {
        params = new int[parameters.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = next;
            next += parameters.get(i) instanceof Param.ScalarParam s && s.type().isWide() ? 2 : 1;
        }
    }

    int param(int index) {
        return params[index];
    }

    /** A fresh slot (or two) for a value of {@code type}. */
    int allocate(ScalarType type) {
        int slot = next;
        next += type.isWide() ? 2 : 1;
        return slot;
    }

    int local(Local local) {
        return variables.computeIfAbsent(local.id(), id -> allocate(local.type()));
    }

    int array(ArrayVar array) {
        return variables.computeIfAbsent(array.id(), id -> allocate(ScalarType.I32));
    }
}
