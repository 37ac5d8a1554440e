package io.tessera.tasks.compiler.ptx;

import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.IrNodes;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrException;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The device-side argument list of a kernel, shared by the PTX and SPIR-V back ends and by the
 * launchers that feed them; the same order as the OpenCL C back end's: the IR's parameters in Java
 * order without the {@code KernelContext} and without folded constants, then one {@code long}
 * element count for each typed-array parameter whose {@code length()} the kernel reads (directly or
 * through helpers), in parameter order. Booleans travel as 32-bit ints (0 or 1), as OpenCL and
 * CUDA kernels take no C {@code bool}. Helpers likewise take their own parameters, then the
 * lengths of the array parameters listed for them in {@code helperLengths}.
 */
public record KernelSignature(List<Argument> arguments, Map<String, Set<Integer>> helperLengths) {

    /** One argument of the device kernel. */
    public sealed interface Argument {
        /** The index of the Java parameter it comes from. */
        int param();

        String name();
    }

    /** A typed array, passed as a device pointer to its first element. */
    public record ArrayArgument(int param, String name, ElementType element) implements Argument {
    }

    /** A scalar passed by value ({@code int}, {@code long}, {@code float}, {@code double}; boolean as int). */
    public record ScalarArgument(int param, String name, ScalarType type) implements Argument {
    }

    /** The element count of the typed array of parameter {@code param}, a {@code long}. */
    public record LengthArgument(int param, String name) implements Argument {
    }

    public KernelSignature {
        arguments = List.copyOf(arguments);
        helperLengths = Map.copyOf(helperLengths);
    }

    /** The array parameters of helper {@code name} whose lengths it takes after its own parameters. */
    public Set<Integer> lengthsOf(String helper) {
        return helperLengths.getOrDefault(helper, Set.of());
    }

    /** The signature of {@code ir} with the scalar parameters in {@code constants} folded. */
    public static KernelSignature of(KernelIr ir, Map<Integer, Object> constants) {
        List<Param> params = ir.params();
        for (Integer index : constants.keySet()) {
            if (index < 0 || index >= params.size() || !(params.get(index) instanceof Param.ScalarParam)) {
                throw new KernelIrException("kernel " + ir.qualifiedName() + ": constant for parameter index "
                        + index + ", which is not a scalar parameter");
            }
        }
        List<Argument> args = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            switch (params.get(i)) {
                case Param.ArrayParam a -> args.add(new ArrayArgument(i, a.name(), a.element()));
                case Param.ScalarParam s -> {
                    if (!constants.containsKey(i)) {
                        args.add(new ScalarArgument(i, s.name(), s.type()));
                    }
                }
                case Param.ContextParam c -> {
                }
            }
        }
        Map<Function, Set<Integer>> uses = lengthUse(ir);
        for (int i : uses.get(ir.kernel())) {
            args.add(new LengthArgument(i, params.get(i).name() + "_length"));
        }
        Map<String, Set<Integer>> helpers = new HashMap<>();
        for (Function h : ir.helpers()) {
            helpers.put(h.name(), Set.copyOf(uses.get(h)));
        }
        return new KernelSignature(args, helpers);
    }

    /**
     * For each function, the typed-array parameters whose length it needs: those it reads
     * {@code length()} of, and those it passes to a helper that needs theirs.
     */
    private static Map<Function, Set<Integer>> lengthUse(KernelIr ir) {
        List<Function> all = new ArrayList<>(ir.helpers());
        all.add(ir.kernel());
        Map<String, Function> byName = new HashMap<>();
        ir.helpers().forEach(h -> byName.put(h.name(), h));
        Map<Function, Set<Integer>> needs = new HashMap<>();
        for (Function f : all) {
            Set<Integer> own = new TreeSet<>();
            IrNodes.forEachExpr(f.body(), e -> {
                if (e instanceof Expr.ArrayLength l) {
                    own.add(l.array().param());
                }
            });
            needs.put(f, own);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Function f : all) {
                Set<Integer> more = new TreeSet<>();
                IrNodes.forEachExpr(f.body(), e -> {
                    if (e instanceof Expr.Call c && byName.containsKey(c.function())) {
                        Function callee = byName.get(c.function());
                        for (int i : needs.get(callee)) {
                            Expr arg = argumentFor(callee, c, i);
                            if (arg instanceof Expr.ArrayArg a) {
                                more.add(a.array().param());
                            }
                        }
                    }
                });
                changed |= needs.get(f).addAll(more);
            }
        }
        return needs;
    }

    /**
     * The argument expression of {@code call} bound to parameter {@code param} of {@code callee}:
     * positional when the call has an argument per parameter, else the {@code KernelContext}
     * parameters take none.
     */
    public static Expr argumentFor(Function callee, Expr.Call call, int param) {
        if (call.args().size() == callee.params().size()) {
            return call.args().get(param);
        }
        int arg = 0;
        for (int i = 0; i < param; i++) {
            if (!(callee.params().get(i) instanceof Param.ContextParam)) {
                arg++;
            }
        }
        return arg < call.args().size() ? call.args().get(arg) : null;
    }
}
