package io.tessera.tasks.compiler.opencl;

import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.IrNodes;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Emits the OpenCL C 1.2 program of a kernel: helpers as device functions, {@code @Parallel} loops
 * as grid-stride loops (so any grid gives the same result), binary16 through
 * {@code vload_half}/{@code vstore_half_rte}, bfloat16 by shifts, local memory as {@code __local}
 * arrays at kernel scope. Constant scalar parameters are folded as literals and leave the argument
 * list. A typed array whose {@code length()} is used gets a {@code long NAME_length} argument
 * after the Java parameters ({@link OpenClSource#arguments()} says which).
 *
 * <p>Caveats where OpenCL C and Java differ: signed integer overflow is undefined in OpenCL C
 * (Java wraps), as are integer division by zero and {@code MIN_VALUE / -1} (Java throws or wraps);
 * float {@code Math.min/max} use {@code fmin/fmax}, which return the other operand for a NaN where
 * Java returns NaN; {@code (float) Math.f((double) x)} is computed in float for f in exp, log,
 * sqrt, tanh, sin, cos, floor, ceil, pow; transcendental built-ins are within the OpenCL ulp bounds,
 * not correctly rounded, and single-precision division and sqrt are correctly rounded only when
 * the program is built with {@code -cl-fp32-correctly-rounded-divide-sqrt}. Contraction of
 * {@code a * b + c} into fma is switched off, as Java never contracts. Float-to-integer casts use the {@code _sat_rtz} conversions, which match
 * Java exactly (saturation, NaN to 0).
 */
public final class OpenClEmitter {
    private OpenClEmitter() {
    }

    /** The program of {@code ir}, with the scalar parameters in {@code constants} (index to value) folded. */
    public static OpenClSource emit(KernelIr ir, Map<Integer, Object> constants) {
        checkConstants(ir, constants);
        Map<String, String> functionNames = functionNames(ir);
        Set<Support> supports = EnumSet.noneOf(Support.class);
        Map<String, Set<Integer>> lengths = LengthUse.of(ir);
        StringBuilder functions = new StringBuilder();
        boolean usesDouble = false;
        for (Function helper : ir.helpers()) {
            OpenClExpressions exprs = new OpenClExpressions(Map.of(), functionNames, supports, lengths);
            String signature = signature(exprs, helper, functionNames.get(helper.name()), lengths.get(helper.name()));
            functions.append("\n").append(signature).append(" {  // line ").append(helper.line()).append('\n');
            new OpenClStatements(exprs, functions, 1).statements(helper.body().body());
            functions.append("}\n");
            usesDouble |= exprs.usesDouble();
        }
        OpenClExpressions exprs = new OpenClExpressions(constants, functionNames, supports, lengths);
        List<OpenClSource.KernelArgument> arguments = new ArrayList<>();
        String kernelName = OpenClNames.safe(ir.name());
        StringBuilder kernel = new StringBuilder("\n__kernel void ").append(kernelName).append('(');
        List<String> params = new ArrayList<>();
        for (int i = 0; i < ir.params().size(); i++) {
            Param p = ir.params().get(i);
            if (p instanceof Param.ContextParam || constants.containsKey(i)) {
                continue;
            }
            arguments.add(new OpenClSource.KernelArgument.Value(i, p.name()));
            params.add(switch (p) {
                case Param.ArrayParam a -> OpenClExpressions.pointer(a.element()) + " " + OpenClNames.safe(a.name());
                case Param.ScalarParam s -> "const " + (s.type() == ScalarType.BOOL ? "int" : exprs.type(s.type()))
                        + " " + OpenClNames.safe(s.name());
                case Param.ContextParam c -> throw new IllegalStateException(c.name());
            });
        }
        for (int i : lengths.get(LengthUse.KERNEL)) {
            String name = ir.params().get(i).name();
            arguments.add(new OpenClSource.KernelArgument.Length(i, name));
            params.add("const long " + OpenClExpressions.lengthName(name));
        }
        kernel.append(String.join(", ", params)).append(") {  // ").append(ir.sourceFile()).append(" line ")
                .append(ir.line()).append('\n');
        new OpenClStatements(exprs, kernel, 1).statements(ir.kernel().body().body());
        kernel.append("}\n");
        usesDouble |= exprs.usesDouble();
        return new OpenClSource(kernelName, header(ir, usesDouble, supports, prototypes(ir, functionNames, lengths))
                + functions + kernel, arguments);
    }

    private static void checkConstants(KernelIr ir, Map<Integer, Object> constants) {
        constants.forEach((index, value) -> {
            if (index < 0 || index >= ir.params().size() || !(ir.params().get(index) instanceof Param.ScalarParam s)) {
                throw new IllegalArgumentException("kernel " + ir.qualifiedName() + ": parameter " + index
                        + " is not a scalar parameter and cannot be folded");
            }
            boolean ok = s.type() == ScalarType.BOOL ? value instanceof Boolean : value instanceof Number;
            if (!ok) {
                throw new IllegalArgumentException("kernel " + ir.qualifiedName() + ": constant " + value
                        + " for parameter " + s.name() + " is not a " + s.type().javaName());
            }
        });
    }

    /** Device-function names: the IR's, made safe, and never the name of the kernel or of a variable. */
    private static Map<String, String> functionNames(KernelIr ir) {
        Map<String, String> names = new HashMap<>();
        Set<String> taken = new TreeSet<>(Set.of(OpenClNames.safe(ir.name())));
        List<Function> all = new ArrayList<>(ir.helpers());
        all.add(ir.kernel());
        for (Function f : all) {
            f.params().forEach(p -> taken.add(OpenClNames.safe(p.name())));
            IrNodes.forEachStmt(f.body(), st -> {
                switch (st) {
                    case io.tessera.tasks.compiler.ir.Stmt.Declare d -> taken.add(OpenClExpressions.localName(d.local()));
                    case io.tessera.tasks.compiler.ir.Stmt.DeclareArray d -> taken.add(OpenClNames.safe(d.array().name()));
                    case io.tessera.tasks.compiler.ir.Stmt.ParallelFor p -> taken.add(OpenClExpressions.localName(p.var()));
                    default -> {
                    }
                }
            });
        }
        for (Function helper : ir.helpers()) {
            String name = OpenClNames.safe(helper.name());
            while (!taken.add(name)) {
                name = name + "_f";
            }
            names.put(helper.name(), name);
        }
        return names;
    }

    private static String signature(OpenClExpressions exprs, Function f, String name, Set<Integer> lengths) {
        List<String> params = new ArrayList<>();
        for (Param p : f.params()) {
            params.add(switch (p) {
                case Param.ArrayParam a -> OpenClExpressions.pointer(a.element()) + " " + OpenClNames.safe(a.name());
                case Param.ScalarParam s -> exprs.type(s.type()) + " " + OpenClNames.safe(s.name());
                case Param.ContextParam c -> throw new IllegalArgumentException("helper " + f.name() + " takes a context");
            });
        }
        for (int i : lengths) {
            params.add("long " + OpenClExpressions.lengthName(f.params().get(i).name()));
        }
        return exprs.type(f.returnType()) + " " + name + "(" + String.join(", ", params) + ")";
    }

    private static String prototypes(KernelIr ir, Map<String, String> names, Map<String, Set<Integer>> lengths) {
        StringBuilder out = new StringBuilder();
        for (Function helper : ir.helpers()) {
            OpenClExpressions exprs = new OpenClExpressions(Map.of(), names, EnumSet.noneOf(Support.class), lengths);
            out.append(signature(exprs, helper, names.get(helper.name()), lengths.get(helper.name()))).append(";\n");
        }
        return out.toString();
    }

    private static String header(KernelIr ir, boolean usesDouble, Set<Support> supports, String prototypes) {
        StringBuilder out = new StringBuilder("// Kernel ").append(ir.qualifiedName()).append(" from ")
                .append(ir.sourceFile()).append(", emitted by Tessera as OpenCL C 1.2\n")
                // Java rounds every operation; OpenCL may fuse a * b + c unless told not to
                .append("#pragma OPENCL FP_CONTRACT OFF\n");
        if (usesDouble) {
            out.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        }
        for (Support s : supports) {
            out.append('\n').append(s.code());
        }
        if (!prototypes.isEmpty()) {
            out.append('\n').append(prototypes);
        }
        return out.toString();
    }

    /** Which typed-array parameters of each function need their length passed, through calls too. */
    private static final class LengthUse {
        /** The key of the kernel itself, which no call names. */
        static final String KERNEL = "";

        static Map<String, Set<Integer>> of(KernelIr ir) {
            List<Function> all = new ArrayList<>(ir.helpers());
            all.add(ir.kernel());
            Map<String, Set<Integer>> needs = new HashMap<>();
            for (Function f : all) {
                Set<Integer> own = new TreeSet<>();
                IrNodes.forEachExpr(f.body(), e -> {
                    if (e instanceof Expr.ArrayLength l) {
                        own.add(l.array().param());
                    }
                });
                needs.put(f == ir.kernel() ? KERNEL : f.name(), own);
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Function f : all) {
                    Set<Integer> more = new LinkedHashSet<>();
                    IrNodes.forEachExpr(f.body(), e -> {
                        if (e instanceof Expr.Call c && needs.containsKey(c.function())) {
                            for (int i : needs.get(c.function())) {
                                if (c.args().get(i) instanceof Expr.ArrayArg a) {
                                    more.add(a.array().param());
                                }
                            }
                        }
                    });
                    changed |= needs.get(f == ir.kernel() ? KERNEL : f.name()).addAll(more);
                }
            }
            return needs;
        }
    }
}
