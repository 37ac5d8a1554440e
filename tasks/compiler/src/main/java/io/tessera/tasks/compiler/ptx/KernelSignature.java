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
import java.util.List;
import java.util.Map;

/**
 * The device-side argument list of a kernel, shared by the PTX and SPIR-V back ends and by the
 * launchers that feed them: the IR's parameters in Java order without the {@code KernelContext}
 * and without folded constants, then, when the kernel or one of its helpers reads
 * {@code length()}, one {@code long} element count per typed-array parameter, in parameter order.
 * Booleans travel as 32-bit ints (0 or 1), as OpenCL and CUDA kernels cannot take C {@code bool}.
 */
public record KernelSignature(List<Argument> arguments, boolean passesLengths) {

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
        boolean lengths = readsLengths(ir);
        if (lengths) {
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i) instanceof Param.ArrayParam a) {
                    args.add(new LengthArgument(i, a.name() + "_length"));
                }
            }
        }
        return new KernelSignature(args, lengths);
    }

    /** True when the kernel or any helper reads the length of a typed array. */
    public static boolean readsLengths(KernelIr ir) {
        boolean[] found = {false};
        List<Function> functions = new ArrayList<>(ir.helpers());
        functions.add(ir.kernel());
        for (Function f : functions) {
            IrNodes.forEachExpr(f.body(), e -> found[0] |= e instanceof Expr.ArrayLength);
        }
        return found[0];
    }
}
