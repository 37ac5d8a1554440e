package io.tessera.tasks.compiler.ptx;

import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.ContextQuery;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.Intrinsic;
import io.tessera.tasks.compiler.ir.IrNodes;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrException;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PTX function: the {@code .entry} of the kernel or the {@code .func} of a helper. Values live
 * in virtual registers (ptxas allocates the real ones): locals in registers named after the Java
 * variable, temporaries in numbered ones. Booleans are predicates; byte, short and int values are
 * sign-extended 32-bit registers.
 */
final class PtxFunction {
    private static final float LOG2_E = 1.4426950408889634f;
    private static final float LN_2 = 0.6931471805599453f;
    private static final float TWO_PI_HI = 6.28318548f;
    private static final float TWO_PI_LO = (float) (2 * Math.PI - 6.28318548f);
    private static final float INV_TWO_PI = (float) (1 / (2 * Math.PI));

    /** PTX register classes and the prefix of their numbered temporaries. */
    private enum RegClass {
        PRED("%p", ".pred"), B16("%h", ".b16"), B32("%r", ".b32"), B64("%rd", ".b64"), F32("%f", ".f32"),
        F64("%fd", ".f64");

        final String prefix;
        final String decl;

        RegClass(String prefix, String decl) {
            this.prefix = prefix;
            this.decl = decl;
        }
    }

    private record LoopLabels(String continueLabel, String breakLabel) {
    }

    private final KernelIr ir;
    private final Function function;
    private final KernelSignature signature;
    private final Map<Integer, Object> constants;
    private final int target;
    private final boolean isKernel;
    private final String symbol;

    private final StringBuilder body = new StringBuilder();
    private final StringBuilder arrays = new StringBuilder();
    private final Map<RegClass, Integer> temps = new EnumMap<>(RegClass.class);
    private final Map<String, RegClass> named = new LinkedHashMap<>();
    private final Map<Integer, String> locals = new HashMap<>();
    private final Map<Integer, String> scalarParams = new HashMap<>();
    private final Map<Integer, String> arrayPointers = new HashMap<>();
    private final Map<Integer, String> arrayLengths = new HashMap<>();
    private final Map<Integer, String> arraySymbols = new HashMap<>();
    private final Deque<LoopLabels> loops = new ArrayDeque<>();
    private int labels;
    private int lastLine = -1;
    private String definition;

    PtxFunction(KernelIr ir, Function function, KernelSignature signature, Map<Integer, Object> constants,
                int target, boolean isKernel) {
        this.ir = ir;
        this.function = function;
        this.signature = signature;
        this.constants = isKernel ? constants : Map.of();
        this.target = target;
        this.isKernel = isKernel;
        this.symbol = isKernel ? PtxNames.identifier(function.javaName()) : "helper_" + PtxNames.identifier(function.name());
    }

    static String helperSymbol(String name) {
        return "helper_" + PtxNames.identifier(name);
    }

    // ---------------------------------------------------------------- signature

    /** The {@code .func} prototype of a helper (without the terminating semicolon). */
    String declaration() {
        StringBuilder s = new StringBuilder(".func ");
        if (function.returnType() != ScalarType.VOID) {
            s.append("(.param ").append(paramType(function.returnType())).append(' ').append(symbol).append("_ret) ");
        }
        s.append(symbol).append('(');
        String sep = "";
        for (int i = 0; i < function.params().size(); i++) {
            switch (function.params().get(i)) {
                case Param.ArrayParam a -> {
                    s.append(sep).append(".param .u64 ").append(symbol).append("_p").append(i);
                    sep = ", ";
                }
                case Param.ScalarParam sp -> {
                    s.append(sep).append(".param ").append(paramType(sp.type())).append(' ').append(symbol)
                            .append("_p").append(i);
                    sep = ", ";
                }
                case Param.ContextParam c -> {
                }
            }
        }
        for (int i : new java.util.TreeSet<>(signature.lengthsOf(function.name()))) {
            s.append(sep).append(".param .u64 ").append(symbol).append("_p").append(i).append("_len");
            sep = ", ";
        }
        return s.append(')').toString();
    }

    private static String paramType(ScalarType t) {
        return switch (t) {
            case BOOL, I8, I16, I32 -> ".s32";
            case I64 -> ".s64";
            case F32 -> ".f32";
            case F64 -> ".f64";
            case VOID -> throw new IllegalArgumentException("void parameter");
        };
    }

    /** The whole function. */
    String definition() {
        if (definition == null) {
            definition = build();
        }
        return definition;
    }

    private String build() {
        StringBuilder head = new StringBuilder();
        if (isKernel) {
            head.append("// kernel ").append(ir.qualifiedName()).append(", line ").append(function.line()).append('\n');
            head.append(".visible .entry ").append(symbol).append("(\n");
            List<KernelSignature.Argument> args = signature.arguments();
            for (int i = 0; i < args.size(); i++) {
                KernelSignature.Argument a = args.get(i);
                String type = switch (a) {
                    case KernelSignature.ArrayArgument x -> ".u64";
                    case KernelSignature.LengthArgument x -> ".u64";
                    case KernelSignature.ScalarArgument x -> paramType(x.type());
                };
                head.append("\t.param ").append(type).append(' ').append(kernelParamName(a))
                        .append(i + 1 < args.size() ? ",\n" : "\n");
            }
            head.append(")\n");
            loadKernelParams();
        } else {
            head.append("// helper ").append(function.name()).append(", line ").append(function.line()).append('\n');
            head.append(declaration()).append('\n');
            loadHelperParams();
        }
        for (Stmt s : function.body().body()) {
            stmt(s);
        }
        if (function.returnType() == ScalarType.VOID) {
            ins("ret");
        }

        StringBuilder out = new StringBuilder(head).append("{\n");
        for (Map.Entry<RegClass, Integer> e : temps.entrySet()) {
            out.append("\t.reg ").append(e.getKey().decl).append(' ').append(e.getKey().prefix)
                    .append('<').append(e.getValue() + 1).append(">;\n");
        }
        for (Map.Entry<String, RegClass> e : named.entrySet()) {
            out.append("\t.reg ").append(e.getValue().decl).append(' ').append(e.getKey()).append(";\n");
        }
        out.append(arrays);
        out.append('\n').append(body).append("}\n");
        return out.toString();
    }

    private String kernelParamName(KernelSignature.Argument a) {
        return symbol + "_" + PtxNames.identifier(a.name());
    }

    private void loadKernelParams() {
        for (KernelSignature.Argument a : signature.arguments()) {
            String p = kernelParamName(a);
            switch (a) {
                case KernelSignature.ArrayArgument x -> {
                    String reg = namedReg("%" + PtxNames.identifier(x.name()) + "_ptr", RegClass.B64);
                    ins("ld.param.u64 " + reg + ", [" + p + "]");
                    ins("cvta.to.global.u64 " + reg + ", " + reg);
                    arrayPointers.put(x.param(), reg);
                }
                case KernelSignature.LengthArgument x -> {
                    String reg = namedReg("%" + PtxNames.identifier(x.name()), RegClass.B64);
                    ins("ld.param.u64 " + reg + ", [" + p + "]");
                    arrayLengths.put(x.param(), reg);
                }
                case KernelSignature.ScalarArgument x -> scalarParams.put(x.param(), loadScalarParam(p, x.name(), x.type()));
            }
        }
    }

    private void loadHelperParams() {
        for (int i = 0; i < function.params().size(); i++) {
            String p = symbol + "_p" + i;
            switch (function.params().get(i)) {
                case Param.ArrayParam a -> {
                    String reg = namedReg("%" + PtxNames.identifier(a.name()) + "_ptr", RegClass.B64);
                    ins("ld.param.u64 " + reg + ", [" + p + "]");
                    arrayPointers.put(i, reg);
                    if (signature.lengthsOf(function.name()).contains(i)) {
                        String len = namedReg("%" + PtxNames.identifier(a.name()) + "_length", RegClass.B64);
                        ins("ld.param.u64 " + len + ", [" + p + "_len]");
                        arrayLengths.put(i, len);
                    }
                }
                case Param.ScalarParam s -> scalarParams.put(i, loadScalarParam(p, s.name(), s.type()));
                case Param.ContextParam c -> {
                }
            }
        }
    }

    private String loadScalarParam(String param, String name, ScalarType type) {
        String base = "%" + PtxNames.identifier(name) + "_arg";
        if (type == ScalarType.BOOL) {
            String raw = temp(RegClass.B32);
            ins("ld.param.s32 " + raw + ", [" + param + "]");
            String reg = namedReg(base, RegClass.PRED);
            ins("setp.ne.s32 " + reg + ", " + raw + ", 0");
            return reg;
        }
        String reg = namedReg(base, regClass(type));
        ins("ld.param" + paramType(type) + " " + reg + ", [" + param + "]");
        return reg;
    }

    // ---------------------------------------------------------------- registers and text

    private static RegClass regClass(ScalarType t) {
        return switch (t) {
            case BOOL -> RegClass.PRED;
            case I8, I16, I32 -> RegClass.B32;
            case I64 -> RegClass.B64;
            case F32 -> RegClass.F32;
            case F64 -> RegClass.F64;
            case VOID -> throw new IllegalArgumentException("void has no register");
        };
    }

    private String temp(RegClass c) {
        int n = temps.merge(c, 1, Integer::sum);
        return c.prefix + n;
    }

    private String temp(ScalarType t) {
        return temp(regClass(t));
    }

    private String namedReg(String name, RegClass c) {
        String unique = name;
        for (int i = 2; named.containsKey(unique); i++) {
            unique = name + "_" + i;
        }
        named.put(unique, c);
        return unique;
    }

    private void ins(String instruction) {
        body.append('\t').append(instruction).append(";\n");
    }

    private void label(String label) {
        body.append(label).append(":\n");
    }

    private String newLabel(String kind) {
        return "$L" + symbol + "_" + kind + "_" + (++labels);
    }

    private void line(int line) {
        if (line > 0 && line != lastLine) {
            body.append("\t// line ").append(line).append('\n');
            lastLine = line;
        }
    }

    /** The typed suffix of arithmetic on a value type. */
    private static String s(ScalarType t) {
        return switch (t) {
            case I8, I16, I32 -> "s32";
            case I64 -> "s64";
            case F32 -> "f32";
            case F64 -> "f64";
            default -> throw new IllegalArgumentException("no arithmetic on " + t);
        };
    }

    private static String b(ScalarType t) {
        return t == ScalarType.I64 || t == ScalarType.F64 ? "b64" : "b32";
    }

    private String mov(ScalarType t, String dst, String src) {
        ins("mov." + (t == ScalarType.BOOL ? "pred" : t.isFloating() ? s(t) : b(t)) + " " + dst + ", " + src);
        return dst;
    }

    private KernelIrException error(int line, String message) {
        return new KernelIrException("kernel " + ir.qualifiedName() + " (" + ir.sourceFile() + ":" + line
                + "): PTX back end: " + message);
    }

    // ---------------------------------------------------------------- statements

    private void stmt(Stmt stmt) {
        if (!(stmt instanceof Stmt.Block)) {
            line(stmt.line());
        }
        switch (stmt) {
            case Stmt.Declare d -> {
                String reg = local(d.local());
                if (d.init() != null) {
                    mov(d.local().type(), reg, expr(d.init()));
                }
            }
            case Stmt.DeclareArray d -> declareArray(d.array());
            case Stmt.Assign a -> {
                String value = expr(a.value());
                mov(a.local().type(), local(a.local()), value);
            }
            case Stmt.Store st -> store(st.array(), st.index(), st.value(), st.line());
            case Stmt.Eval e -> expr(e.expr());
            case Stmt.If i -> ifStmt(i);
            case Stmt.For f -> forStmt(f);
            case Stmt.While w -> {
                String cond = newLabel("while");
                String end = newLabel("while_end");
                label(cond);
                branchIfFalse(w.cond(), end);
                loopBody(w.body(), cond, end);
                ins("bra.uni " + cond);
                label(end);
            }
            case Stmt.DoWhile d -> {
                String top = newLabel("do");
                String cont = newLabel("do_cond");
                String end = newLabel("do_end");
                label(top);
                loopBody(d.body(), cont, end);
                label(cont);
                String p = expr(d.cond());
                ins("@" + p + " bra " + top);
                label(end);
            }
            case Stmt.Break b -> {
                if (loops.isEmpty()) {
                    throw error(b.line(), "break outside a loop");
                }
                ins("bra.uni " + loops.peek().breakLabel());
            }
            case Stmt.Continue c -> {
                if (loops.isEmpty()) {
                    throw error(c.line(), "continue outside a loop");
                }
                ins("bra.uni " + loops.peek().continueLabel());
            }
            case Stmt.Return r -> {
                if (r.value() != null) {
                    ScalarType t = function.returnType();
                    String v = expr(r.value());
                    if (t == ScalarType.BOOL) {
                        String i = temp(RegClass.B32);
                        ins("selp.s32 " + i + ", 1, 0, " + v);
                        v = i;
                    }
                    ins("st.param" + paramType(t) + " [" + symbol + "_ret], " + v);
                }
                ins("ret");
            }
            case Stmt.Barrier b -> ins("bar.sync 0");
            case Stmt.Block b -> b.body().forEach(this::stmt);
            case Stmt.ParallelFor p -> parallelFor(p);
        }
    }

    private void loopBody(Stmt body, String continueLabel, String breakLabel) {
        loops.push(new LoopLabels(continueLabel, breakLabel));
        stmt(body);
        loops.pop();
    }

    private void branchIfFalse(Expr cond, String label) {
        String p = expr(cond);
        ins("@!" + p + " bra " + label);
    }

    private void ifStmt(Stmt.If i) {
        String elseLabel = newLabel("else");
        String end = i.otherwise() == null ? elseLabel : newLabel("endif");
        branchIfFalse(i.cond(), elseLabel);
        stmt(i.then());
        if (i.otherwise() != null) {
            ins("bra.uni " + end);
            label(elseLabel);
            stmt(i.otherwise());
        }
        label(end);
    }

    private void forStmt(Stmt.For f) {
        f.init().forEach(this::stmt);
        String cond = newLabel("for");
        String cont = newLabel("for_next");
        String end = newLabel("for_end");
        label(cond);
        if (f.cond() != null) {
            branchIfFalse(f.cond(), end);
        }
        loopBody(f.body(), cont, end);
        label(cont);
        f.update().forEach(this::stmt);
        ins("bra.uni " + cond);
        label(end);
    }

    /** {@code for (v = start + globalId(d); v < bound; v += globalSize(d))}. */
    private void parallelFor(Stmt.ParallelFor p) {
        ScalarType t = p.var().type();
        String dim = dimension(p.dimension());
        body.append("\t// @Parallel ").append(p.var().name()).append(": dimension ").append(p.dimension())
                .append(", grid-stride\n");
        String var = local(p.var());
        String start = expr(p.start());
        String bound = expr(p.bound());
        String ctaid = specialReg("%ctaid." + dim);
        String ntid = specialReg("%ntid." + dim);
        String tid = specialReg("%tid." + dim);
        String nctaid = specialReg("%nctaid." + dim);
        String gid;
        String stride;
        if (t == ScalarType.I64) {
            gid = temp(RegClass.B64);
            ins("mul.wide.u32 " + gid + ", " + ctaid + ", " + ntid);
            String tid64 = temp(RegClass.B64);
            ins("cvt.u64.u32 " + tid64 + ", " + tid);
            ins("add.s64 " + gid + ", " + gid + ", " + tid64);
            stride = temp(RegClass.B64);
            ins("mul.wide.u32 " + stride + ", " + nctaid + ", " + ntid);
        } else {
            gid = temp(RegClass.B32);
            ins("mad.lo.s32 " + gid + ", " + ctaid + ", " + ntid + ", " + tid);
            stride = temp(RegClass.B32);
            ins("mul.lo.s32 " + stride + ", " + nctaid + ", " + ntid);
        }
        ins("add." + s(t) + " " + var + ", " + start + ", " + gid);
        String cond = newLabel("par" + p.dimension());
        String cont = newLabel("par" + p.dimension() + "_next");
        String end = newLabel("par" + p.dimension() + "_end");
        label(cond);
        String done = temp(RegClass.PRED);
        if (t == ScalarType.I32 && p.bound().type() == ScalarType.I64) {
            String wide = temp(RegClass.B64);
            ins("cvt.s64.s32 " + wide + ", " + var);
            ins("setp.ge.s64 " + done + ", " + wide + ", " + bound);
        } else {
            ins("setp.ge." + s(t) + " " + done + ", " + var + ", " + bound);
        }
        ins("@" + done + " bra " + end);
        loopBody(p.body(), cont, end);
        label(cont);
        ins("add." + s(t) + " " + var + ", " + var + ", " + stride);
        ins("bra.uni " + cond);
        label(end);
    }

    private static String dimension(int d) {
        return switch (d) {
            case 0 -> "x";
            case 1 -> "y";
            default -> "z";
        };
    }

    private String specialReg(String name) {
        String r = temp(RegClass.B32);
        ins("mov.u32 " + r + ", " + name);
        return r;
    }

    private String local(Local local) {
        return locals.computeIfAbsent(local.id(),
                id -> namedReg("%" + PtxNames.identifier(local.name()) + "_" + id, regClass(local.type())));
    }

    // ---------------------------------------------------------------- arrays

    private void declareArray(ArrayVar a) {
        String sym = arraySymbols.get(a.id());
        boolean shared = a.space() == ArrayVar.Space.LOCAL;
        if (sym == null) {
            sym = (shared ? "shared_" : "private_") + PtxNames.identifier(a.name()) + "_" + a.id();
            int size = memBytes(a.element());
            arrays.append('\t').append(shared ? ".shared" : ".local").append(" .align ").append(Math.max(size, 4))
                    .append(' ').append(memType(a.element())).append(' ').append(sym).append('[').append(a.length())
                    .append("];\n");
            arraySymbols.put(a.id(), sym);
        }
        if (!shared) {
            // new T[n] in Java is zero-filled each time the declaration runs
            String ptr = temp(RegClass.B64);
            String end = temp(RegClass.B64);
            String zero = temp(RegClass.B32);
            String more = temp(RegClass.PRED);
            String loop = newLabel("zero");
            int size = memBytes(a.element());
            ins("mov.u64 " + ptr + ", " + sym);
            ins("add.s64 " + end + ", " + ptr + ", " + (long) a.length() * size);
            ins("mov.b32 " + zero + ", 0");
            String zeroValue = zero;
            if (size == 8) {
                zeroValue = temp(RegClass.B64);
                ins("mov.b64 " + zeroValue + ", 0");
            }
            label(loop);
            ins("st.local." + storeType(a.element()) + " [" + ptr + "], " + zeroValue);
            ins("add.s64 " + ptr + ", " + ptr + ", " + size);
            ins("setp.lt.u64 " + more + ", " + ptr + ", " + end);
            ins("@" + more + " bra " + loop);
        }
    }

    private static int memBytes(ScalarType t) {
        return switch (t) {
            case BOOL, I8 -> 1;
            case I16 -> 2;
            case I32, F32 -> 4;
            case I64, F64 -> 8;
            case VOID -> throw new IllegalArgumentException("void array");
        };
    }

    private static String memType(ScalarType t) {
        return switch (t) {
            case BOOL -> ".u8";
            case I8 -> ".s8";
            case I16 -> ".s16";
            case I32 -> ".s32";
            case I64 -> ".s64";
            case F32 -> ".f32";
            case F64 -> ".f64";
            case VOID -> throw new IllegalArgumentException("void array");
        };
    }

    private static String storeType(ScalarType t) {
        return switch (t) {
            case BOOL, I8 -> "u8";
            case I16 -> "u16";
            case I32 -> "u32";
            case I64 -> "u64";
            case F32 -> "f32";
            case F64 -> "f64";
            case VOID -> throw new IllegalArgumentException("void array");
        };
    }

    private static int elementBytes(ElementType e) {
        return switch (e) {
            case I8 -> 1;
            case F16, BF16 -> 2;
            case F32, I32 -> 4;
            case I64 -> 8;
        };
    }

    private String arrayPointer(ArrayTarget.Global g, int line) {
        String ptr = arrayPointers.get(g.param());
        if (ptr == null) {
            throw error(line, "array " + g.name() + " is not a parameter of " + function.name());
        }
        return ptr;
    }

    /** The address of element {@code index} ({@code long}) of a global array with elements of {@code size} bytes. */
    private String globalAddress(String base, String index, int size) {
        String addr = temp(RegClass.B64);
        if (size == 1) {
            ins("add.s64 " + addr + ", " + base + ", " + index);
        } else {
            String offset = temp(RegClass.B64);
            ins("shl.b64 " + offset + ", " + index + ", " + Integer.numberOfTrailingZeros(size));
            ins("add.s64 " + addr + ", " + base + ", " + offset);
        }
        return addr;
    }

    /** The space and address of element {@code index} of a Java array variable. */
    private String[] arrayVarAddress(ArrayVar a, Expr index, int line) {
        String sym = arraySymbols.get(a.id());
        if (sym == null) {
            throw error(line, "array " + a.name() + " is used before its declaration");
        }
        String wide = index64(index);
        String base = temp(RegClass.B64);
        ins("mov.u64 " + base + ", " + sym);
        String space = a.space() == ArrayVar.Space.LOCAL ? "shared" : "local";
        return new String[] {space, globalAddress(base, wide, memBytes(a.element()))};
    }

    /** An index or offset widened to 64 bits. */
    private String index64(Expr index) {
        String idx = expr(index);
        if (index.type() == ScalarType.I64) {
            return idx;
        }
        String wide = temp(RegClass.B64);
        ins("cvt.s64.s32 " + wide + ", " + idx);
        return wide;
    }

    private String load(Expr.Load l) {
        return switch (l.array()) {
            case ArrayTarget.Global g -> {
                String base = arrayPointer(g, l.line());
                String idx = index64(l.index());
                String addr = globalAddress(base, idx, elementBytes(g.element()));
                yield switch (g.element()) {
                    case F32 -> {
                        String f = temp(RegClass.F32);
                        ins("ld.global.f32 " + f + ", [" + addr + "]");
                        yield f;
                    }
                    case F16 -> {
                        String h = temp(RegClass.B16);
                        ins("ld.global.u16 " + h + ", [" + addr + "]");
                        String f = temp(RegClass.F32);
                        ins("cvt.f32.f16 " + f + ", " + h);
                        yield f;
                    }
                    case BF16 -> {
                        // bfloat16 is the upper half of a binary32
                        String h = temp(RegClass.B16);
                        ins("ld.global.u16 " + h + ", [" + addr + "]");
                        String r = temp(RegClass.B32);
                        ins("cvt.u32.u16 " + r + ", " + h);
                        ins("shl.b32 " + r + ", " + r + ", 16");
                        String f = temp(RegClass.F32);
                        ins("mov.b32 " + f + ", " + r);
                        yield f;
                    }
                    case I8 -> {
                        String r = temp(RegClass.B32);
                        ins("ld.global.s8 " + r + ", [" + addr + "]");
                        yield r;
                    }
                    case I32 -> {
                        String r = temp(RegClass.B32);
                        ins("ld.global.s32 " + r + ", [" + addr + "]");
                        yield r;
                    }
                    case I64 -> {
                        String r = temp(RegClass.B64);
                        ins("ld.global.s64 " + r + ", [" + addr + "]");
                        yield r;
                    }
                };
            }
            case ArrayVar a -> {
                String[] where = arrayVarAddress(a, l.index(), l.line());
                if (a.element() == ScalarType.BOOL) {
                    String r = temp(RegClass.B32);
                    ins("ld." + where[0] + ".u8 " + r + ", [" + where[1] + "]");
                    String p = temp(RegClass.PRED);
                    ins("setp.ne.s32 " + p + ", " + r + ", 0");
                    yield p;
                }
                String r = temp(a.element());
                ins("ld." + where[0] + memType(a.element()) + " " + r + ", [" + where[1] + "]");
                yield r;
            }
        };
    }

    private void store(ArrayTarget target, Expr index, Expr value, int line) {
        switch (target) {
            case ArrayTarget.Global g -> {
                String base = arrayPointer(g, line);
                String idx = index64(index);
                String v = expr(value);
                String addr = globalAddress(base, idx, elementBytes(g.element()));
                switch (g.element()) {
                    case F32 -> ins("st.global.f32 [" + addr + "], " + v);
                    case F16 -> {
                        String h = temp(RegClass.B16);
                        ins("cvt.rn.f16.f32 " + h + ", " + v);
                        ins("st.global.b16 [" + addr + "], " + h);
                    }
                    case BF16 -> ins("st.global.b16 [" + addr + "], " + toBFloat16(v));
                    case I8 -> ins("st.global.u8 [" + addr + "], " + v);
                    case I32 -> ins("st.global.u32 [" + addr + "], " + v);
                    case I64 -> ins("st.global.u64 [" + addr + "], " + v);
                }
            }
            case ArrayVar a -> {
                String[] where = arrayVarAddress(a, index, line);
                String v = expr(value);
                if (a.element() == ScalarType.BOOL) {
                    String r = temp(RegClass.B32);
                    ins("selp.u32 " + r + ", 1, 0, " + v);
                    v = r;
                }
                ins("st." + where[0] + "." + storeType(a.element()) + " [" + where[1] + "], " + v);
            }
        }
    }

    /** Rounds a float to bfloat16 bits (nearest even; NaN stays NaN), as {@code BFloat16Array.set}. */
    private String toBFloat16(String f) {
        String h = temp(RegClass.B16);
        if (target >= 80) {
            ins("cvt.rn.bf16.f32 " + h + ", " + f);
            return h;
        }
        String bits = temp(RegClass.B32);
        ins("mov.b32 " + bits + ", " + f);
        String lsb = temp(RegClass.B32);
        ins("bfe.u32 " + lsb + ", " + bits + ", 16, 1");
        ins("add.s32 " + lsb + ", " + lsb + ", 32767");
        String rounded = temp(RegClass.B32);
        ins("add.s32 " + rounded + ", " + bits + ", " + lsb);
        ins("shr.u32 " + rounded + ", " + rounded + ", 16");
        String nan = temp(RegClass.B32);
        ins("shr.u32 " + nan + ", " + bits + ", 16");
        ins("or.b32 " + nan + ", " + nan + ", 64");
        String isNan = temp(RegClass.PRED);
        ins("setp.nan.f32 " + isNan + ", " + f + ", " + f);
        ins("selp.b32 " + rounded + ", " + nan + ", " + rounded + ", " + isNan);
        ins("cvt.u16.u32 " + h + ", " + rounded);
        return h;
    }

    /** {@code ByteArray.getShort/getHalf/getInt}: little-endian and unaligned, so byte by byte. */
    private String byteLoad(Expr.ByteLoad b) {
        String base = arrayPointer(b.array(), b.line());
        String addr = globalAddress(base, index64(b.byteOffset()), 1);
        String value = temp(RegClass.B32);
        ins("ld.global.u8 " + value + ", [" + addr + "]");
        for (int i = 1; i < b.access().bytes(); i++) {
            String next = temp(RegClass.B32);
            ins("ld.global.u8 " + next + ", [" + addr + "+" + i + "]");
            ins("shl.b32 " + next + ", " + next + ", " + 8 * i);
            ins("or.b32 " + value + ", " + value + ", " + next);
        }
        return switch (b.access()) {
            case SHORT -> {
                ins("shl.b32 " + value + ", " + value + ", 16");
                ins("shr.s32 " + value + ", " + value + ", 16");
                yield value;
            }
            case HALF -> {
                String h = temp(RegClass.B16);
                ins("cvt.u16.u32 " + h + ", " + value);
                String f = temp(RegClass.F32);
                ins("cvt.f32.f16 " + f + ", " + h);
                yield f;
            }
            case INT -> value;
        };
    }

    private String arrayLength(ArrayTarget.Global g, int line) {
        String len = arrayLengths.get(g.param());
        if (len == null) {
            throw error(line, "the length of " + g.name() + " is not passed to " + function.name());
        }
        return len;
    }

    // ---------------------------------------------------------------- expressions

    private String expr(Expr e) {
        return switch (e) {
            case Expr.Const c -> constant(c.type(), c.value());
            case Expr.ParamRef p -> param(p);
            case Expr.LocalRef l -> local(l.local());
            case Expr.ArrayLength l -> arrayLength(l.array(), l.line());
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b);
            case Expr.Cast c -> cast(c.type(), expr(c.operand()), c.operand().type(), c.line());
            case Expr.Ternary t -> ternary(t);
            case Expr.Load l -> load(l);
            case Expr.ByteLoad b -> byteLoad(b);
            case Expr.IntrinsicCall i -> intrinsic(i);
            case Expr.Call c -> call(c);
            case Expr.ArrayArg a -> throw error(a.line(), "array " + a.array().name() + " used as a value");
            case Expr.Context c -> context(c.query(), c.dimension());
        };
    }

    private String param(Expr.ParamRef p) {
        if (constants.containsKey(p.index())) {
            return constant(p.type(), constantValue(p.type(), constants.get(p.index()), p));
        }
        String reg = scalarParams.get(p.index());
        if (reg == null) {
            throw error(p.line(), "parameter " + p.name() + " is not a scalar parameter of " + function.name());
        }
        return reg;
    }

    private Object constantValue(ScalarType type, Object value, Expr.ParamRef p) {
        if (type == ScalarType.BOOL) {
            if (!(value instanceof Boolean)) {
                throw error(p.line(), "constant for boolean parameter " + p.name() + " is " + value);
            }
            return value;
        }
        if (!(value instanceof Number n)) {
            throw error(p.line(), "constant for parameter " + p.name() + " is not a number: " + value);
        }
        return switch (type) {
            case I8, I16, I32 -> n.intValue();
            case I64 -> n.longValue();
            case F32 -> n.floatValue();
            default -> n.doubleValue();
        };
    }

    private String constant(ScalarType type, Object value) {
        String r = temp(type);
        switch (type) {
            case BOOL -> ins("setp.ne.u32 " + r + ", " + ((Boolean) value ? 1 : 0) + ", 0");
            case I8, I16, I32 -> ins("mov.b32 " + r + ", " + ((Number) value).intValue());
            case I64 -> ins("mov.b64 " + r + ", " + ((Number) value).longValue());
            case F32 -> ins("mov.f32 " + r + ", " + PtxNames.f32(((Number) value).floatValue()));
            case F64 -> ins("mov.f64 " + r + ", " + PtxNames.f64(((Number) value).doubleValue()));
            case VOID -> throw new IllegalArgumentException("void constant");
        }
        return r;
    }

    private String f32(float v) {
        return constant(ScalarType.F32, v);
    }

    private String unary(Expr.Unary u) {
        String v = expr(u.operand());
        ScalarType t = u.type();
        String r = temp(t);
        switch (u.op()) {
            case NOT -> ins("not.pred " + r + ", " + v);
            case NEG -> ins("neg." + s(t) + " " + r + ", " + v);
            case BIT_NOT -> ins("not." + b(t) + " " + r + ", " + v);
        }
        return narrow(t, r);
    }

    /** Re-sign-extends a 32-bit register holding a byte or short result. */
    private String narrow(ScalarType t, String r) {
        if (t == ScalarType.I8 || t == ScalarType.I16) {
            int bits = t == ScalarType.I8 ? 24 : 16;
            ins("shl.b32 " + r + ", " + r + ", " + bits);
            ins("shr.s32 " + r + ", " + r + ", " + bits);
        }
        return r;
    }

    private String binary(Expr.Binary b) {
        if (b.op().isLogical()) {
            return shortCircuit(b);
        }
        ScalarType t = b.left().type();
        String l = expr(b.left());
        String r = expr(b.right());
        if (b.op().isComparison()) {
            String p = temp(RegClass.PRED);
            if (t == ScalarType.BOOL) {
                ins("xor.pred " + p + ", " + l + ", " + r);
                if (b.op() == BinaryOp.EQ) {
                    ins("not.pred " + p + ", " + p);
                }
                return p;
            }
            String cmp = switch (b.op()) {
                case EQ -> "eq";
                case NE -> t.isFloating() ? "neu" : "ne"; // Java: NaN != x is true
                case LT -> "lt";
                case LE -> "le";
                case GT -> "gt";
                default -> "ge";
            };
            ins("setp." + cmp + "." + s(t) + " " + p + ", " + l + ", " + r);
            return p;
        }
        if (t == ScalarType.BOOL) {
            String p = temp(RegClass.PRED);
            String op = switch (b.op()) {
                case AND -> "and";
                case OR -> "or";
                case XOR -> "xor";
                default -> throw error(b.line(), b.op() + " on booleans");
            };
            ins(op + ".pred " + p + ", " + l + ", " + r);
            return p;
        }
        String d = temp(t);
        if (t.isFloating()) {
            switch (b.op()) {
                case ADD -> ins("add.rn." + s(t) + " " + d + ", " + l + ", " + r);
                case SUB -> ins("sub.rn." + s(t) + " " + d + ", " + l + ", " + r);
                case MUL -> ins("mul.rn." + s(t) + " " + d + ", " + l + ", " + r);
                case DIV -> ins("div.rn." + s(t) + " " + d + ", " + l + ", " + r);
                case REM -> {
                    // Java's % on floats truncates the quotient: l - trunc(l / r) * r
                    String q = temp(t);
                    ins("div.rn." + s(t) + " " + q + ", " + l + ", " + r);
                    ins("cvt.rzi." + s(t) + "." + s(t) + " " + q + ", " + q);
                    ins("neg." + s(t) + " " + q + ", " + q);
                    ins("fma.rn." + s(t) + " " + d + ", " + q + ", " + r + ", " + l);
                }
                default -> throw error(b.line(), b.op() + " on " + t.javaName());
            }
            return d;
        }
        switch (b.op()) {
            case ADD -> ins("add." + s(t) + " " + d + ", " + l + ", " + r);
            case SUB -> ins("sub." + s(t) + " " + d + ", " + l + ", " + r);
            case MUL -> ins("mul.lo." + s(t) + " " + d + ", " + l + ", " + r);
            case DIV -> ins("div." + s(t) + " " + d + ", " + l + ", " + r);
            case REM -> ins("rem." + s(t) + " " + d + ", " + l + ", " + r);
            case AND -> ins("and." + b(t) + " " + d + ", " + l + ", " + r);
            case OR -> ins("or." + b(t) + " " + d + ", " + l + ", " + r);
            case XOR -> ins("xor." + b(t) + " " + d + ", " + l + ", " + r);
            case SHL, SHR, USHR -> {
                // Java uses the low 5 (int) or 6 (long) bits of the count; PTX clamps instead
                String count = temp(RegClass.B32);
                ins("and.b32 " + count + ", " + r + ", " + (t == ScalarType.I64 ? 63 : 31));
                String op = switch (b.op()) {
                    case SHL -> "shl." + b(t);
                    case SHR -> "shr." + s(t);
                    default -> "shr." + (t == ScalarType.I64 ? "u64" : "u32");
                };
                ins(op + " " + d + ", " + l + ", " + count);
            }
            default -> throw error(b.line(), b.op() + " on " + t.javaName());
        }
        return narrow(t, d);
    }

    /** True when evaluating {@code e} cannot fault or have an effect, so it may run unconditionally. */
    private static boolean speculable(Expr e) {
        boolean[] ok = {true};
        IrNodes.forEachExpr(e, x -> ok[0] &= !(x instanceof Expr.Load || x instanceof Expr.ByteLoad
                || x instanceof Expr.Call));
        return ok[0];
    }

    private String shortCircuit(Expr.Binary b) {
        boolean and = b.op() == BinaryOp.LOGICAL_AND;
        String l = expr(b.left());
        String d = temp(RegClass.PRED);
        if (speculable(b.right())) {
            String r = expr(b.right());
            ins((and ? "and" : "or") + ".pred " + d + ", " + l + ", " + r);
            return d;
        }
        String skip = newLabel(and ? "and" : "or");
        ins("mov.pred " + d + ", " + l);
        ins("@" + (and ? "!" : "") + l + " bra " + skip);
        String r = expr(b.right());
        ins("mov.pred " + d + ", " + r);
        label(skip);
        return d;
    }

    private String ternary(Expr.Ternary t) {
        ScalarType type = t.type();
        String c = expr(t.cond());
        if (type != ScalarType.BOOL && speculable(t.ifTrue()) && speculable(t.ifFalse())) {
            String a = expr(t.ifTrue());
            String f = expr(t.ifFalse());
            String d = temp(type);
            ins("selp." + (type.isFloating() ? s(type) : b(type)) + " " + d + ", " + a + ", " + f + ", " + c);
            return d;
        }
        String d = temp(type);
        String otherwise = newLabel("cond_else");
        String end = newLabel("cond_end");
        ins("@!" + c + " bra " + otherwise);
        mov(type, d, expr(t.ifTrue()));
        ins("bra.uni " + end);
        label(otherwise);
        mov(type, d, expr(t.ifFalse()));
        label(end);
        return d;
    }

    private String cast(ScalarType to, String v, ScalarType from, int line) {
        if (to == from) {
            return v;
        }
        if (to == ScalarType.BOOL || from == ScalarType.BOOL) {
            throw error(line, "cast between " + from.javaName() + " and " + to.javaName());
        }
        String d = temp(to);
        switch (to) {
            case I64 -> {
                switch (from) {
                    case F32 -> ins("cvt.rzi.s64.f32 " + d + ", " + v); // saturates, NaN gives 0, as Java
                    case F64 -> ins("cvt.rzi.s64.f64 " + d + ", " + v);
                    default -> ins("cvt.s64.s32 " + d + ", " + v);
                }
            }
            case I32, I16, I8 -> {
                switch (from) {
                    case F32 -> ins("cvt.rzi.s32.f32 " + d + ", " + v);
                    case F64 -> ins("cvt.rzi.s32.f64 " + d + ", " + v);
                    case I64 -> ins("cvt.u32.u64 " + d + ", " + v);
                    default -> ins("mov.b32 " + d + ", " + v);
                }
                narrow(to, d);
            }
            case F32 -> {
                switch (from) {
                    case F64 -> ins("cvt.rn.f32.f64 " + d + ", " + v);
                    case I64 -> ins("cvt.rn.f32.s64 " + d + ", " + v);
                    default -> ins("cvt.rn.f32.s32 " + d + ", " + v);
                }
            }
            case F64 -> {
                switch (from) {
                    case F32 -> ins("cvt.f64.f32 " + d + ", " + v);
                    case I64 -> ins("cvt.rn.f64.s64 " + d + ", " + v);
                    default -> ins("cvt.rn.f64.s32 " + d + ", " + v);
                }
            }
            default -> throw error(line, "cast to " + to.javaName());
        }
        return d;
    }

    private String context(ContextQuery q, int dimension) {
        String dim = dimension(dimension);
        return switch (q) {
            case LOCAL_ID -> specialReg("%tid." + dim);
            case GROUP_ID -> specialReg("%ctaid." + dim);
            case LOCAL_SIZE -> specialReg("%ntid." + dim);
            case NUM_GROUPS -> specialReg("%nctaid." + dim);
            case GLOBAL_ID -> {
                String ctaid = specialReg("%ctaid." + dim);
                String ntid = specialReg("%ntid." + dim);
                String tid = specialReg("%tid." + dim);
                String r = temp(RegClass.B32);
                ins("mad.lo.s32 " + r + ", " + ctaid + ", " + ntid + ", " + tid);
                yield r;
            }
            case GLOBAL_SIZE -> {
                String n = specialReg("%nctaid." + dim);
                String ntid = specialReg("%ntid." + dim);
                String r = temp(RegClass.B32);
                ins("mul.lo.s32 " + r + ", " + n + ", " + ntid);
                yield r;
            }
        };
    }

    // ---------------------------------------------------------------- calls

    private String call(Expr.Call c) {
        Function callee = ir.helper(c.function());
        String name = helperSymbol(callee.name());
        body.append("\t{\n");
        StringBuilder args = new StringBuilder();
        int argIndex = 0;
        boolean positional = c.args().size() == callee.params().size();
        for (int i = 0; i < callee.params().size(); i++) {
            Param p = callee.params().get(i);
            if (p instanceof Param.ContextParam) {
                if (positional) {
                    argIndex++;
                }
                continue;
            }
            if (argIndex >= c.args().size()) {
                throw error(c.line(), "call of " + callee.name() + " has too few arguments");
            }
            Expr arg = c.args().get(argIndex++);
            String pname = "arg" + i;
            switch (p) {
                case Param.ArrayParam a -> {
                    if (!(arg instanceof Expr.ArrayArg aa)) {
                        throw error(c.line(), "argument " + a.name() + " of " + callee.name() + " is not an array");
                    }
                    String ptr = arrayPointer(aa.array(), c.line());
                    body.append("\t.param .u64 ").append(pname).append(";\n");
                    ins("st.param.u64 [" + pname + "], " + ptr);
                    args.append(args.isEmpty() ? "" : ", ").append(pname);
                }
                case Param.ScalarParam sp -> {
                    String v = expr(arg);
                    if (sp.type() == ScalarType.BOOL) {
                        String i32 = temp(RegClass.B32);
                        ins("selp.s32 " + i32 + ", 1, 0, " + v);
                        v = i32;
                    }
                    body.append("\t.param ").append(paramType(sp.type())).append(' ').append(pname).append(";\n");
                    ins("st.param" + paramType(sp.type()) + " [" + pname + "], " + v);
                    args.append(args.isEmpty() ? "" : ", ").append(pname);
                }
                case Param.ContextParam cp -> {
                }
            }
        }
        for (int i : new java.util.TreeSet<>(signature.lengthsOf(callee.name()))) {
            if (!(KernelSignature.argumentFor(callee, c, i) instanceof Expr.ArrayArg aa)) {
                throw error(c.line(), "argument " + i + " of " + callee.name() + " is not an array");
            }
            String pname = "arg" + i + "_len";
            body.append("\t.param .u64 ").append(pname).append(";\n");
            ins("st.param.u64 [" + pname + "], " + arrayLength(aa.array(), c.line()));
            args.append(args.isEmpty() ? "" : ", ").append(pname);
        }
        ScalarType rt = callee.returnType();
        String result = null;
        if (rt != ScalarType.VOID) {
            body.append("\t.param ").append(paramType(rt)).append(" retval;\n");
            ins("call.uni (retval), " + name + ", (" + args + ")");
            if (rt == ScalarType.BOOL) {
                String i32 = temp(RegClass.B32);
                ins("ld.param.s32 " + i32 + ", [retval]");
                result = temp(RegClass.PRED);
                ins("setp.ne.s32 " + result + ", " + i32 + ", 0");
            } else {
                result = temp(rt);
                ins("ld.param" + paramType(rt) + " " + result + ", [retval]");
            }
        } else {
            ins("call.uni " + name + ", (" + args + ")");
        }
        body.append("\t}\n");
        return result;
    }

    // ---------------------------------------------------------------- intrinsics

    private String intrinsic(Expr.IntrinsicCall call) {
        List<Expr> args = call.args();
        ScalarType t = call.type();
        return switch (call.intrinsic()) {
            case MATH_ABS -> unaryOp("abs." + s(t), t, expr(args.get(0)));
            case MATH_MIN, MATH_MAX -> {
                String a = expr(args.get(0));
                String b = expr(args.get(1));
                String op = call.intrinsic() == Intrinsic.MATH_MIN ? "min" : "max";
                // Java's min/max return NaN when either operand is NaN
                String mod = t == ScalarType.F32 && target >= 80 ? ".NaN" : "";
                String d = temp(t);
                ins(op + mod + "." + s(t) + " " + d + ", " + a + ", " + b);
                yield d;
            }
            case MATH_SQRT, KM_SQRT -> unaryOp("sqrt.rn." + s(t), t, expr(args.get(0)));
            case KM_RSQRT -> unaryOp("rsqrt.approx.f32", t, expr(args.get(0)));
            case MATH_FMA, KM_FMA -> {
                String a = expr(args.get(0));
                String b = expr(args.get(1));
                String c = expr(args.get(2));
                String d = temp(t);
                ins("fma.rn." + s(t) + " " + d + ", " + a + ", " + b + ", " + c);
                yield d;
            }
            case MATH_FLOOR, KM_FLOOR -> unaryOp("cvt.rmi." + s(t) + "." + s(t), t, expr(args.get(0)));
            case MATH_CEIL -> unaryOp("cvt.rpi." + s(t) + "." + s(t), t, expr(args.get(0)));
            case MATH_ROUND -> round(args.get(0), t);
            case MATH_EXP, KM_EXP, MATH_LOG, KM_LOG, MATH_TANH, KM_TANH, MATH_SIN, KM_SIN, MATH_COS, KM_COS,
                 MATH_POW, KM_POW -> transcendental(call);
            case FLOAT16_TO_FLOAT -> {
                String v = expr(args.get(0));
                String h = temp(RegClass.B16);
                ins("cvt.u16.u32 " + h + ", " + v);
                String f = temp(RegClass.F32);
                ins("cvt.f32.f16 " + f + ", " + h);
                yield f;
            }
            case FLOAT_TO_FLOAT16 -> {
                String v = expr(args.get(0));
                String h = temp(RegClass.B16);
                ins("cvt.rn.f16.f32 " + h + ", " + v);
                String r = temp(RegClass.B32);
                ins("cvt.s32.s16 " + r + ", " + h);
                yield r;
            }
            case INT_BITS_TO_FLOAT -> unaryOp("mov.b32", ScalarType.F32, expr(args.get(0)));
            case FLOAT_TO_RAW_INT_BITS -> unaryOp("mov.b32", ScalarType.I32, expr(args.get(0)));
            case IS_NAN -> {
                String v = expr(args.get(0));
                String p = temp(RegClass.PRED);
                ins("setp.nan." + s(args.get(0).type()) + " " + p + ", " + v + ", " + v);
                yield p;
            }
        };
    }

    private String unaryOp(String op, ScalarType resultType, String v) {
        String d = temp(resultType);
        ins(op + " " + d + ", " + v);
        return d;
    }

    /** Java's Math.round: floor(x + 1/2), computed without the rounding error of x + 0.5. */
    private String round(Expr arg, ScalarType resultType) {
        ScalarType ft = arg.type();
        String x = expr(arg);
        String fl = unaryOp("cvt.rmi." + s(ft) + "." + s(ft), ft, x);
        String frac = temp(ft);
        ins("sub.rn." + s(ft) + " " + frac + ", " + x + ", " + fl);
        String half = ft == ScalarType.F32 ? f32(0.5f) : constant(ScalarType.F64, 0.5);
        String one = ft == ScalarType.F32 ? f32(1f) : constant(ScalarType.F64, 1.0);
        String up = temp(RegClass.PRED);
        ins("setp.ge." + s(ft) + " " + up + ", " + frac + ", " + half);
        String next = temp(ft);
        ins("add.rn." + s(ft) + " " + next + ", " + fl + ", " + one);
        String r = temp(ft);
        ins("selp." + s(ft) + " " + r + ", " + next + ", " + fl + ", " + up);
        return unaryOp("cvt.rzi." + s(resultType) + "." + s(ft), resultType, r);
    }

    /** exp, log, tanh, sin, cos, pow in single precision (double arguments are narrowed first). */
    private String transcendental(Expr.IntrinsicCall call) {
        ScalarType t = call.type();
        String[] args = new String[call.args().size()];
        for (int i = 0; i < args.length; i++) {
            Expr a = call.args().get(i);
            args[i] = cast(ScalarType.F32, expr(a), a.type(), call.line());
        }
        String x = args[0];
        String r = switch (call.intrinsic()) {
            case MATH_EXP, KM_EXP -> exp2(mul(x, f32(LOG2_E)));
            case MATH_LOG, KM_LOG -> mul(unaryOp("lg2.approx.f32", ScalarType.F32, x), f32(LN_2));
            case MATH_TANH, KM_TANH -> tanh(x);
            case MATH_SIN, KM_SIN -> unaryOp("sin.approx.f32", ScalarType.F32, reduceAngle(x));
            case MATH_COS, KM_COS -> unaryOp("cos.approx.f32", ScalarType.F32, reduceAngle(x));
            default -> pow(x, args[1]);
        };
        return cast(t, r, ScalarType.F32, call.line());
    }

    private String mul(String a, String b) {
        String d = temp(RegClass.F32);
        ins("mul.rn.f32 " + d + ", " + a + ", " + b);
        return d;
    }

    private String exp2(String x) {
        return unaryOp("ex2.approx.f32", ScalarType.F32, x);
    }

    private String tanh(String x) {
        if (target >= 75) {
            return unaryOp("tanh.approx.f32", ScalarType.F32, x);
        }
        // tanh(x) = 1 - 2 / (exp(2x) + 1); exp overflowing to infinity gives exactly 1
        String e = exp2(mul(x, f32(2 * LOG2_E)));
        String e1 = temp(RegClass.F32);
        ins("add.rn.f32 " + e1 + ", " + e + ", " + f32(1f));
        String q = temp(RegClass.F32);
        ins("div.rn.f32 " + q + ", " + f32(2f) + ", " + e1);
        String d = temp(RegClass.F32);
        ins("sub.rn.f32 " + d + ", " + f32(1f) + ", " + q);
        return d;
    }

    /** x - 2 pi k with k = rint(x / 2 pi), in two steps (Cody and Waite), for sin.approx/cos.approx. */
    private String reduceAngle(String x) {
        String k = mul(x, f32(INV_TWO_PI));
        ins("cvt.rni.f32.f32 " + k + ", " + k);
        ins("neg.f32 " + k + ", " + k);
        String r = temp(RegClass.F32);
        ins("fma.rn.f32 " + r + ", " + k + ", " + f32(TWO_PI_HI) + ", " + x);
        ins("fma.rn.f32 " + r + ", " + k + ", " + f32(TWO_PI_LO) + ", " + r);
        return r;
    }

    /** Math.pow: 2^(y log2 |x|), with the sign rules for negative x and pow(x, 0) = 1. */
    private String pow(String x, String y) {
        String ax = unaryOp("abs.f32", ScalarType.F32, x);
        String r = exp2(mul(y, unaryOp("lg2.approx.f32", ScalarType.F32, ax)));
        String yInt = unaryOp("cvt.rzi.f32.f32", ScalarType.F32, y);
        String isInt = temp(RegClass.PRED);
        ins("setp.eq.f32 " + isInt + ", " + yInt + ", " + y);
        String halfY = mul(y, f32(0.5f));
        String halfInt = unaryOp("cvt.rzi.f32.f32", ScalarType.F32, halfY);
        String odd = temp(RegClass.PRED);
        ins("setp.neu.f32 " + odd + ", " + halfInt + ", " + halfY);
        ins("and.pred " + odd + ", " + odd + ", " + isInt);
        String negative = temp(RegClass.PRED);
        ins("setp.lt.f32 " + negative + ", " + x + ", " + f32(0f));
        String flip = temp(RegClass.PRED);
        ins("and.pred " + flip + ", " + negative + ", " + odd);
        String neg = unaryOp("neg.f32", ScalarType.F32, r);
        ins("selp.f32 " + r + ", " + neg + ", " + r + ", " + flip);
        String nan = temp(RegClass.PRED);
        ins("not.pred " + nan + ", " + isInt);
        ins("and.pred " + nan + ", " + nan + ", " + negative);
        ins("selp.f32 " + r + ", " + f32(Float.NaN) + ", " + r + ", " + nan);
        String zero = temp(RegClass.PRED);
        ins("setp.eq.f32 " + zero + ", " + y + ", " + f32(0f));
        ins("selp.f32 " + r + ", " + f32(1f) + ", " + r + ", " + zero);
        return r;
    }
}
