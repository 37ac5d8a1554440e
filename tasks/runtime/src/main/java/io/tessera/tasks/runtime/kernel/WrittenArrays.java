package io.tessera.tasks.runtime.kernel;

import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.IrNodes;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The typed-array parameters a kernel may write: those it stores to, and those it passes to helpers
 * that (transitively) store to the matching parameter. Computed as a fixed point over the helpers.
 */
public final class WrittenArrays {
    private WrittenArrays() {
    }

    public static Set<Integer> of(KernelIr ir) {
        List<Function> functions = new ArrayList<>(ir.helpers());
        functions.add(ir.kernel());
        Map<String, Set<Integer>> written = new HashMap<>();
        functions.forEach(f -> written.put(f.name(), new HashSet<>()));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Function f : functions) {
                Set<Integer> own = written.get(f.name());
                int before = own.size();
                IrNodes.forEachStmt(f.body(), s -> {
                    if (s instanceof Stmt.Store store && store.array() instanceof ArrayTarget.Global g) {
                        own.add(g.param());
                    }
                });
                IrNodes.forEachExpr(f.body(), e -> {
                    if (e instanceof Expr.Call call && written.containsKey(call.function())) {
                        for (int j : written.get(call.function())) {
                            if (j < call.args().size() && call.args().get(j) instanceof Expr.ArrayArg a) {
                                own.add(a.array().param());
                            }
                        }
                    }
                });
                changed |= own.size() != before;
            }
        }
        return Set.copyOf(written.get(ir.kernel().name()));
    }
}
