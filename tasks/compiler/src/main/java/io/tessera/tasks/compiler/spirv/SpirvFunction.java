package io.tessera.tasks.compiler.spirv;

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
import io.tessera.tasks.compiler.ptx.KernelSignature;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One SPIR-V function: the kernel entry point or a helper. Locals are {@code Function}-storage
 * variables loaded and stored at each use (the driver's compiler promotes them to registers).
 * Booleans are {@code OpTypeBool}; byte, short and int values are sign-extended 32-bit integers.
 */
final class SpirvFunction {
    private record LoopLabels(int continueLabel, int mergeLabel) {
    }

    private final SpirvModule m;
    private final KernelIr ir;
    private final Function function;
    private final KernelSignature signature;
    private final Map<Integer, Object> constants;
    private final boolean isKernel;
    private final Map<String, Integer> functionIds;
    private final Map<Integer, Integer> builtins;

    private final List<int[]> header = new ArrayList<>();
    private final List<int[]> variables = new ArrayList<>();
    private final List<int[]> code = new ArrayList<>();
    private final Map<Integer, Integer> locals = new HashMap<>();
    private final Map<Integer, Integer> scalarParams = new HashMap<>();
    private final Map<Integer, Integer> arrayPointers = new HashMap<>();
    private final Map<Integer, Integer> arrayLengths = new HashMap<>();
    private final Map<Integer, Integer> arrayVars = new HashMap<>();
    private final Deque<LoopLabels> loops = new ArrayDeque<>();
    private boolean terminated;
    private int halfScratch;

    SpirvFunction(SpirvModule module, KernelIr ir, Function function, KernelSignature signature,
                  Map<Integer, Object> constants, boolean isKernel, Map<String, Integer> functionIds,
                  Map<Integer, Integer> builtins) {
        this.m = module;
        this.ir = ir;
        this.function = function;
        this.signature = signature;
        this.constants = constants;
        this.isKernel = isKernel;
        this.functionIds = functionIds;
        this.builtins = builtins;
    }

    /** Writes the function into the module under {@code id}. */
    int emit(int id) {
        List<Integer> paramTypes = new ArrayList<>();
        List<Runnable> bind = new ArrayList<>();
        if (isKernel) {
            for (KernelSignature.Argument a : signature.arguments()) {
                switch (a) {
                    case KernelSignature.ArrayArgument x -> {
                        int type = globalPointer(x.element());
                        paramTypes.add(type);
                        int pid = m.id();
                        header.add(SpirvModule.op(Spv.OP_FUNCTION_PARAMETER, type, pid));
                        m.name(pid, x.name());
                        arrayPointers.put(x.param(), pid);
                    }
                    case KernelSignature.LengthArgument x -> {
                        int type = m.intType(64);
                        paramTypes.add(type);
                        int pid = m.id();
                        header.add(SpirvModule.op(Spv.OP_FUNCTION_PARAMETER, type, pid));
                        m.name(pid, x.name());
                        arrayLengths.put(x.param(), pid);
                    }
                    case KernelSignature.ScalarArgument x -> {
                        // OpenCL kernels take no bool: booleans travel as int
                        int type = x.type() == ScalarType.BOOL ? m.intType(32) : valueType(x.type());
                        paramTypes.add(type);
                        int pid = m.id();
                        header.add(SpirvModule.op(Spv.OP_FUNCTION_PARAMETER, type, pid));
                        m.name(pid, x.name());
                        if (x.type() == ScalarType.BOOL) {
                            bind.add(() -> scalarParams.put(x.param(),
                                    value(Spv.OP_I_NOT_EQUAL, m.boolType(), pid, m.constantInt(32, 0))));
                        } else {
                            scalarParams.put(x.param(), pid);
                        }
                    }
                }
            }
        } else {
            for (int i = 0; i < function.params().size(); i++) {
                switch (function.params().get(i)) {
                    case Param.ArrayParam a -> {
                        int type = globalPointer(a.element());
                        paramTypes.add(type);
                        int pid = m.id();
                        header.add(SpirvModule.op(Spv.OP_FUNCTION_PARAMETER, type, pid));
                        m.name(pid, a.name());
                        arrayPointers.put(i, pid);
                    }
                    case Param.ScalarParam s -> {
                        int type = valueType(s.type());
                        paramTypes.add(type);
                        int pid = m.id();
                        header.add(SpirvModule.op(Spv.OP_FUNCTION_PARAMETER, type, pid));
                        m.name(pid, s.name());
                        scalarParams.put(i, pid);
                    }
                    case Param.ContextParam c -> {
                    }
                }
            }
            for (int i : new java.util.TreeSet<>(signature.lengthsOf(function.name()))) {
                int lt = m.intType(64);
                paramTypes.add(lt);
                int lid = m.id();
                header.add(SpirvModule.op(Spv.OP_FUNCTION_PARAMETER, lt, lid));
                m.name(lid, function.params().get(i).name() + "_length");
                arrayLengths.put(i, lid);
            }
        }
        int returnType = function.returnType() == ScalarType.VOID ? m.voidType() : valueType(function.returnType());
        int fnType = m.functionType(returnType, paramTypes);
        header.addFirst(SpirvModule.op(Spv.OP_FUNCTION, returnType, id, 0, fnType));
        m.name(id, isKernel ? function.javaName() : function.name());
        int entry = m.id();
        header.add(SpirvModule.op(Spv.OP_LABEL, entry));
        bind.forEach(Runnable::run);
        for (Stmt s : function.body().body()) {
            stmt(s);
        }
        if (!terminated) {
            code.add(function.returnType() == ScalarType.VOID ? SpirvModule.op(Spv.OP_RETURN) : SpirvModule.op(255));
        }
        List<int[]> all = new ArrayList<>(header);
        all.addAll(variables);
        all.addAll(code);
        all.add(SpirvModule.op(Spv.OP_FUNCTION_END));
        m.function(all);
        return id;
    }

    // ---------------------------------------------------------------- types

    private int valueType(ScalarType t) {
        return switch (t) {
            case BOOL -> m.boolType();
            case I8, I16, I32 -> m.intType(32);
            case I64 -> m.intType(64);
            case F32 -> m.floatType(32);
            case F64 -> m.floatType(64);
            case VOID -> m.voidType();
        };
    }

    private int elementType(ElementType e) {
        return switch (e) {
            case F32 -> m.floatType(32);
            case F16 -> m.floatType(16);
            case BF16 -> m.intType(16);
            case I8 -> m.intType(8);
            case I32 -> m.intType(32);
            case I64 -> m.intType(64);
        };
    }

    private int globalPointer(ElementType e) {
        return m.pointerType(Spv.STORAGE_CROSS_WORKGROUP, elementType(e));
    }

    /** The in-memory type of a Java array element: booleans as bytes, byte and short at their width. */
    private int memoryType(ScalarType t) {
        return switch (t) {
            case BOOL, I8 -> m.intType(8);
            case I16 -> m.intType(16);
            default -> valueType(t);
        };
    }

    private KernelIrException error(int line, String message) {
        return new KernelIrException("kernel " + ir.qualifiedName() + " (" + ir.sourceFile() + ":" + line
                + "): SPIR-V back end: " + message);
    }

    // ---------------------------------------------------------------- instructions and blocks

    private void open() {
        if (terminated) {
            // code after break, continue or return: an unreachable block
            code.add(SpirvModule.op(Spv.OP_LABEL, m.id()));
            terminated = false;
        }
    }

    private int currentLabel() {
        open();
        for (int i = code.size() - 1; i >= 0; i--) {
            int[] ins = code.get(i);
            if ((ins[0] & 0xFFFF) == Spv.OP_LABEL) {
                return ins[1];
            }
        }
        return header.getLast()[1];
    }

    private int value(int opcode, int type, int... operands) {
        open();
        int id = m.id();
        code.add(SpirvModule.op(opcode, SpirvModule.concat(new int[] {type, id}, operands)));
        return id;
    }

    private void effect(int opcode, int... operands) {
        open();
        code.add(SpirvModule.op(opcode, operands));
    }

    private int ext(int type, int instruction, int... operands) {
        return value(Spv.OP_EXT_INST, type, SpirvModule.concat(new int[] {m.openClStd(), instruction}, operands));
    }

    private void terminate(int opcode, int... operands) {
        effect(opcode, operands);
        terminated = true;
    }

    private void branch(int target) {
        terminate(Spv.OP_BRANCH, target);
    }

    /** Starts block {@code id}, falling through from the current block when it is still open. */
    private void label(int id) {
        if (!terminated) {
            branch(id);
        }
        code.add(SpirvModule.op(Spv.OP_LABEL, id));
        terminated = false;
    }

    private int i32(int v) {
        return m.constantInt(32, v);
    }

    private int i64(long v) {
        return m.constantInt(64, v);
    }

    private int f32(float v) {
        return m.constantFloat(v);
    }

    // ---------------------------------------------------------------- statements

    private void stmt(Stmt stmt) {
        switch (stmt) {
            case Stmt.Declare d -> {
                int var = local(d.local());
                if (d.init() != null) {
                    int v = expr(d.init());
                    effect(Spv.OP_STORE, var, v);
                }
            }
            case Stmt.DeclareArray d -> declareArray(d.array());
            case Stmt.Assign a -> {
                int v = expr(a.value());
                effect(Spv.OP_STORE, local(a.local()), v);
            }
            case Stmt.Store st -> store(st);
            case Stmt.Eval e -> expr(e.expr());
            case Stmt.If i -> ifStmt(i);
            case Stmt.For f -> {
                f.init().forEach(this::stmt);
                loop(f.cond(), f.body(), () -> f.update().forEach(this::stmt));
            }
            case Stmt.While w -> loop(w.cond(), w.body(), () -> {
            });
            case Stmt.DoWhile d -> doWhile(d);
            case Stmt.Break b -> {
                if (loops.isEmpty()) {
                    throw error(b.line(), "break outside a loop");
                }
                branch(loops.peek().mergeLabel());
            }
            case Stmt.Continue c -> {
                if (loops.isEmpty()) {
                    throw error(c.line(), "continue outside a loop");
                }
                branch(loops.peek().continueLabel());
            }
            case Stmt.Return r -> {
                if (r.value() == null) {
                    terminate(Spv.OP_RETURN);
                } else {
                    terminate(Spv.OP_RETURN_VALUE, expr(r.value()));
                }
            }
            case Stmt.Barrier b -> {
                int memory = b.fence() == Stmt.Barrier.Fence.LOCAL ? Spv.SEMANTICS_WORKGROUP_MEMORY
                        : Spv.SEMANTICS_CROSS_WORKGROUP_MEMORY | Spv.SEMANTICS_WORKGROUP_MEMORY;
                effect(Spv.OP_CONTROL_BARRIER, i32(Spv.SCOPE_WORKGROUP), i32(Spv.SCOPE_WORKGROUP),
                        i32(memory | Spv.SEMANTICS_SEQ_CST));
            }
            case Stmt.Block b -> b.body().forEach(this::stmt);
            case Stmt.ParallelFor p -> parallelFor(p);
        }
    }

    private void ifStmt(Stmt.If i) {
        int cond = expr(i.cond());
        int then = m.id();
        int merge = m.id();
        int otherwise = i.otherwise() == null ? merge : m.id();
        effect(Spv.OP_SELECTION_MERGE, merge, 0);
        terminate(Spv.OP_BRANCH_CONDITIONAL, cond, then, otherwise);
        label(then);
        stmt(i.then());
        if (i.otherwise() != null) {
            if (!terminated) {
                branch(merge);
            }
            label(otherwise);
            stmt(i.otherwise());
        }
        label(merge);
    }

    /** header: OpLoopMerge; condition block; body; continue block (update); merge. */
    private void loop(Expr cond, Stmt body, Runnable update) {
        int head = m.id();
        int check = m.id();
        int bodyLabel = m.id();
        int cont = m.id();
        int merge = m.id();
        label(head);
        effect(Spv.OP_LOOP_MERGE, merge, cont, 0);
        branch(check);
        label(check);
        if (cond != null) {
            int c = expr(cond);
            terminate(Spv.OP_BRANCH_CONDITIONAL, c, bodyLabel, merge);
        }
        label(bodyLabel);
        loops.push(new LoopLabels(cont, merge));
        stmt(body);
        loops.pop();
        label(cont);
        update.run();
        branch(head);
        label(merge);
    }

    private void doWhile(Stmt.DoWhile d) {
        int head = m.id();
        int bodyLabel = m.id();
        int cont = m.id();
        int merge = m.id();
        label(head);
        effect(Spv.OP_LOOP_MERGE, merge, cont, 0);
        branch(bodyLabel);
        label(bodyLabel);
        loops.push(new LoopLabels(cont, merge));
        stmt(d.body());
        loops.pop();
        label(cont);
        int c = expr(d.cond());
        terminate(Spv.OP_BRANCH_CONDITIONAL, c, head, merge);
        label(merge);
    }

    /** {@code for (v = start + GlobalInvocationId[d]; v < bound; v += GlobalSize[d])}. */
    private void parallelFor(Stmt.ParallelFor p) {
        ScalarType t = p.var().type();
        int type = valueType(t);
        int var = local(p.var());
        int start = expr(p.start());
        int bound = expr(p.bound());
        int gid = builtinComponent(Spv.BUILTIN_GLOBAL_INVOCATION_ID, p.dimension(), t);
        int stride = builtinComponent(Spv.BUILTIN_GLOBAL_SIZE, p.dimension(), t);
        effect(Spv.OP_STORE, var, value(Spv.OP_I_ADD, type, start, gid));
        int head = m.id();
        int check = m.id();
        int bodyLabel = m.id();
        int cont = m.id();
        int merge = m.id();
        label(head);
        effect(Spv.OP_LOOP_MERGE, merge, cont, 0);
        branch(check);
        label(check);
        int v = value(Spv.OP_LOAD, type, var);
        if (t == ScalarType.I32 && p.bound().type() == ScalarType.I64) {
            v = value(Spv.OP_S_CONVERT, m.intType(64), v);
        }
        int c = value(Spv.OP_S_LESS_THAN, m.boolType(), v, bound);
        terminate(Spv.OP_BRANCH_CONDITIONAL, c, bodyLabel, merge);
        label(bodyLabel);
        loops.push(new LoopLabels(cont, merge));
        stmt(p.body());
        loops.pop();
        label(cont);
        int now = value(Spv.OP_LOAD, type, var);
        effect(Spv.OP_STORE, var, value(Spv.OP_I_ADD, type, now, stride));
        branch(head);
        label(merge);
    }

    private int local(Local local) {
        return locals.computeIfAbsent(local.id(), k -> {
            int id = m.id();
            variables.add(SpirvModule.op(Spv.OP_VARIABLE, m.pointerType(Spv.STORAGE_FUNCTION, valueType(local.type())),
                    id, Spv.STORAGE_FUNCTION));
            m.name(id, local.name());
            return id;
        });
    }

    // ---------------------------------------------------------------- built-ins

    private int builtinVariable(int builtin) {
        return builtins.computeIfAbsent(builtin, b -> {
            int vec = m.vectorType(m.intType(64), 3);
            int ptr = m.pointerType(Spv.STORAGE_INPUT, vec);
            int id = m.id();
            m.global(SpirvModule.op(Spv.OP_VARIABLE, ptr, id, Spv.STORAGE_INPUT));
            m.decorate(id, Spv.DECORATION_BUILTIN, b);
            m.decorate(id, Spv.DECORATION_CONSTANT);
            m.name(id, switch (b) {
                case Spv.BUILTIN_GLOBAL_INVOCATION_ID -> "__spirv_BuiltInGlobalInvocationId";
                case Spv.BUILTIN_GLOBAL_SIZE -> "__spirv_BuiltInGlobalSize";
                case Spv.BUILTIN_LOCAL_INVOCATION_ID -> "__spirv_BuiltInLocalInvocationId";
                case Spv.BUILTIN_WORKGROUP_ID -> "__spirv_BuiltInWorkgroupId";
                case Spv.BUILTIN_WORKGROUP_SIZE -> "__spirv_BuiltInWorkgroupSize";
                default -> "__spirv_BuiltInNumWorkgroups";
            });
            return id;
        });
    }

    /** Component {@code dim} of a built-in {@code size_t} 3-vector, as a value of {@code t} (int or long). */
    private int builtinComponent(int builtin, int dim, ScalarType t) {
        int vec = value(Spv.OP_LOAD, m.vectorType(m.intType(64), 3), builtinVariable(builtin));
        int v = value(Spv.OP_COMPOSITE_EXTRACT, m.intType(64), vec, dim);
        return t == ScalarType.I64 ? v : value(Spv.OP_U_CONVERT, m.intType(32), v);
    }

    private int context(Expr.Context c) {
        int builtin = switch (c.query()) {
            case GLOBAL_ID -> Spv.BUILTIN_GLOBAL_INVOCATION_ID;
            case LOCAL_ID -> Spv.BUILTIN_LOCAL_INVOCATION_ID;
            case GROUP_ID -> Spv.BUILTIN_WORKGROUP_ID;
            case GLOBAL_SIZE -> Spv.BUILTIN_GLOBAL_SIZE;
            case LOCAL_SIZE -> Spv.BUILTIN_WORKGROUP_SIZE;
            case NUM_GROUPS -> Spv.BUILTIN_NUM_WORKGROUPS;
        };
        return builtinComponent(builtin, c.dimension(), ScalarType.I32);
    }

    // ---------------------------------------------------------------- arrays

    private void declareArray(ArrayVar a) {
        boolean workgroup = a.space() == ArrayVar.Space.LOCAL;
        int arrayType = m.arrayType(memoryType(a.element()), a.length());
        int storage = workgroup ? Spv.STORAGE_WORKGROUP : Spv.STORAGE_FUNCTION;
        Integer var = arrayVars.get(a.id());
        if (var == null) {
            int id = m.id();
            int[] decl = SpirvModule.op(Spv.OP_VARIABLE, m.pointerType(storage, arrayType), id, storage);
            if (workgroup) {
                m.global(decl);
            } else {
                variables.add(decl);
            }
            m.name(id, a.name());
            arrayVars.put(a.id(), id);
            var = id;
        }
        if (!workgroup) {
            // new T[n] is zero-filled each time the declaration runs
            effect(Spv.OP_STORE, var, m.constantNull(arrayType));
        }
    }

    private int index64(Expr index) {
        int v = expr(index);
        return index.type() == ScalarType.I64 ? v : value(Spv.OP_S_CONVERT, m.intType(64), v);
    }

    private int globalElement(ArrayTarget.Global g, int index64, int line) {
        Integer base = arrayPointers.get(g.param());
        if (base == null) {
            throw error(line, "array " + g.name() + " is not a parameter of " + function.name());
        }
        return value(Spv.OP_IN_BOUNDS_PTR_ACCESS_CHAIN, globalPointer(g.element()), base, index64);
    }

    private int arrayVarElement(ArrayVar a, Expr index, int line) {
        Integer var = arrayVars.get(a.id());
        if (var == null) {
            throw error(line, "array " + a.name() + " is used before its declaration");
        }
        int storage = a.space() == ArrayVar.Space.LOCAL ? Spv.STORAGE_WORKGROUP : Spv.STORAGE_FUNCTION;
        return value(Spv.OP_IN_BOUNDS_ACCESS_CHAIN, m.pointerType(storage, memoryType(a.element())), var,
                index64(index));
    }

    private int load(Expr.Load l) {
        return switch (l.array()) {
            case ArrayTarget.Global g -> {
                int idx = index64(l.index());
                if (g.element() == ElementType.F16) {
                    Integer base = arrayPointers.get(g.param());
                    if (base == null) {
                        throw error(l.line(), "array " + g.name() + " is not a parameter of " + function.name());
                    }
                    yield ext(m.floatType(32), Spv.CL_VLOAD_HALF, idx, base);
                }
                int ptr = globalElement(g, idx, l.line());
                yield switch (g.element()) {
                    case F32 -> value(Spv.OP_LOAD, m.floatType(32), ptr);
                    case I32 -> value(Spv.OP_LOAD, m.intType(32), ptr);
                    case I64 -> value(Spv.OP_LOAD, m.intType(64), ptr);
                    case I8 -> value(Spv.OP_S_CONVERT, m.intType(32), value(Spv.OP_LOAD, m.intType(8), ptr));
                    case BF16 -> {
                        // bfloat16 is the upper half of a binary32
                        int bits = value(Spv.OP_U_CONVERT, m.intType(32), value(Spv.OP_LOAD, m.intType(16), ptr));
                        yield value(Spv.OP_BITCAST, m.floatType(32),
                                value(Spv.OP_SHIFT_LEFT_LOGICAL, m.intType(32), bits, i32(16)));
                    }
                    case F16 -> throw new IllegalStateException("handled above");
                };
            }
            case ArrayVar a -> {
                int ptr = arrayVarElement(a, l.index(), l.line());
                int raw = value(Spv.OP_LOAD, memoryType(a.element()), ptr);
                yield switch (a.element()) {
                    case BOOL -> value(Spv.OP_I_NOT_EQUAL, m.boolType(), raw, m.constantInt(8, 0));
                    case I8, I16 -> value(Spv.OP_S_CONVERT, m.intType(32), raw);
                    default -> raw;
                };
            }
        };
    }

    private void store(Stmt.Store st) {
        switch (st.array()) {
            case ArrayTarget.Global g -> {
                int idx = index64(st.index());
                int v = expr(st.value());
                switch (g.element()) {
                    case F16 -> {
                        Integer base = arrayPointers.get(g.param());
                        if (base == null) {
                            throw error(st.line(), "array " + g.name() + " is not a parameter of " + function.name());
                        }
                        ext(m.voidType(), Spv.CL_VSTORE_HALF, v, idx, base);
                    }
                    case BF16 -> effect(Spv.OP_STORE, globalElement(g, idx, st.line()),
                            value(Spv.OP_U_CONVERT, m.intType(16), toBFloat16(v)));
                    case I8 -> effect(Spv.OP_STORE, globalElement(g, idx, st.line()),
                            value(Spv.OP_U_CONVERT, m.intType(8), v));
                    default -> effect(Spv.OP_STORE, globalElement(g, idx, st.line()), v);
                }
            }
            case ArrayVar a -> {
                int ptr = arrayVarElement(a, st.index(), st.line());
                int v = expr(st.value());
                int stored = switch (a.element()) {
                    case BOOL -> value(Spv.OP_SELECT, m.intType(8), v, m.constantInt(8, 1), m.constantInt(8, 0));
                    case I8 -> value(Spv.OP_U_CONVERT, m.intType(8), v);
                    case I16 -> value(Spv.OP_U_CONVERT, m.intType(16), v);
                    default -> v;
                };
                effect(Spv.OP_STORE, ptr, stored);
            }
        }
    }

    /** bfloat16 bits (in an int) of a float: round to nearest even, NaN stays NaN, as {@code BFloat16Array}. */
    private int toBFloat16(int f) {
        int i = m.intType(32);
        int bits = value(Spv.OP_BITCAST, i, f);
        int high = value(Spv.OP_SHIFT_RIGHT_LOGICAL, i, bits, i32(16));
        int lsb = value(Spv.OP_BITWISE_AND, i, high, i32(1));
        int rounding = value(Spv.OP_I_ADD, i, lsb, i32(0x7FFF));
        int rounded = value(Spv.OP_SHIFT_RIGHT_LOGICAL, i, value(Spv.OP_I_ADD, i, bits, rounding), i32(16));
        int quiet = value(Spv.OP_BITWISE_OR, i, high, i32(0x40));
        int nan = value(Spv.OP_IS_NAN, m.boolType(), f);
        return value(Spv.OP_SELECT, i, nan, quiet, rounded);
    }

    /** A function-local 16-bit slot seen as a half pointer, for conversions through vload/vstore_half. */
    private int halfSlot() {
        if (halfScratch == 0) {
            halfScratch = m.id();
            variables.add(SpirvModule.op(Spv.OP_VARIABLE, m.pointerType(Spv.STORAGE_FUNCTION, m.intType(16)),
                    halfScratch, Spv.STORAGE_FUNCTION));
            m.name(halfScratch, "half_bits");
        }
        return halfScratch;
    }

    private int halfBitsToFloat(int bits32) {
        int slot = halfSlot();
        effect(Spv.OP_STORE, slot, value(Spv.OP_U_CONVERT, m.intType(16), bits32));
        int asHalf = value(Spv.OP_BITCAST, m.pointerType(Spv.STORAGE_FUNCTION, m.floatType(16)), slot);
        return ext(m.floatType(32), Spv.CL_VLOAD_HALF, i64(0), asHalf);
    }

    private int floatToHalfBits(int f) {
        int slot = halfSlot();
        int asHalf = value(Spv.OP_BITCAST, m.pointerType(Spv.STORAGE_FUNCTION, m.floatType(16)), slot);
        ext(m.voidType(), Spv.CL_VSTORE_HALF, f, i64(0), asHalf);
        return value(Spv.OP_S_CONVERT, m.intType(32), value(Spv.OP_LOAD, m.intType(16), slot));
    }

    /** {@code ByteArray.getShort/getHalf/getInt}: little-endian and unaligned, so byte by byte. */
    private int byteLoad(Expr.ByteLoad b) {
        int offset = index64(b.byteOffset());
        int i = m.intType(32);
        int result = 0;
        for (int k = 0; k < b.access().bytes(); k++) {
            int at = k == 0 ? offset : value(Spv.OP_I_ADD, m.intType(64), offset, i64(k));
            int ptr = globalElement(b.array(), at, b.line());
            int byteValue = value(Spv.OP_U_CONVERT, i, value(Spv.OP_LOAD, m.intType(8), ptr));
            if (k == 0) {
                result = byteValue;
            } else {
                int shifted = value(Spv.OP_SHIFT_LEFT_LOGICAL, i, byteValue, i32(8 * k));
                result = value(Spv.OP_BITWISE_OR, i, result, shifted);
            }
        }
        return switch (b.access()) {
            case SHORT -> narrow(ScalarType.I16, result);
            case HALF -> halfBitsToFloat(result);
            case INT -> result;
        };
    }

    private int arrayLength(Expr.ArrayLength l) {
        Integer len = arrayLengths.get(l.array().param());
        if (len == null) {
            throw error(l.line(), "the length of " + l.array().name() + " is not passed to " + function.name());
        }
        return len;
    }

    // ---------------------------------------------------------------- expressions

    private int expr(Expr e) {
        return switch (e) {
            case Expr.Const c -> constant(c.type(), c.value());
            case Expr.ParamRef p -> param(p);
            case Expr.LocalRef l -> value(Spv.OP_LOAD, valueType(l.type()), local(l.local()));
            case Expr.ArrayLength l -> arrayLength(l);
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b);
            case Expr.Cast c -> cast(c.type(), expr(c.operand()), c.operand().type(), c.line());
            case Expr.Ternary t -> ternary(t);
            case Expr.Load l -> load(l);
            case Expr.ByteLoad b -> byteLoad(b);
            case Expr.IntrinsicCall i -> intrinsic(i);
            case Expr.Call c -> call(c);
            case Expr.ArrayArg a -> throw error(a.line(), "array " + a.array().name() + " used as a value");
            case Expr.Context c -> context(c);
        };
    }

    private int param(Expr.ParamRef p) {
        if (constants.containsKey(p.index())) {
            Object v = constants.get(p.index());
            if (p.type() == ScalarType.BOOL) {
                if (!(v instanceof Boolean)) {
                    throw error(p.line(), "constant for boolean parameter " + p.name() + " is " + v);
                }
                return constant(ScalarType.BOOL, v);
            }
            if (!(v instanceof Number)) {
                throw error(p.line(), "constant for parameter " + p.name() + " is not a number: " + v);
            }
            return constant(p.type(), v);
        }
        Integer id = scalarParams.get(p.index());
        if (id == null) {
            throw error(p.line(), "parameter " + p.name() + " is not a scalar parameter of " + function.name());
        }
        return id;
    }

    private int constant(ScalarType type, Object value) {
        return switch (type) {
            case BOOL -> m.constantBool((Boolean) value);
            case I8, I16, I32 -> i32(((Number) value).intValue());
            case I64 -> i64(((Number) value).longValue());
            case F32 -> f32(((Number) value).floatValue());
            case F64 -> m.constantDouble(((Number) value).doubleValue());
            case VOID -> throw new IllegalArgumentException("void constant");
        };
    }

    private int unary(Expr.Unary u) {
        int v = expr(u.operand());
        ScalarType t = u.type();
        int type = valueType(t);
        return switch (u.op()) {
            case NOT -> value(Spv.OP_LOGICAL_NOT, type, v);
            case NEG -> narrow(t, value(t.isFloating() ? Spv.OP_F_NEGATE : Spv.OP_S_NEGATE, type, v));
            case BIT_NOT -> narrow(t, value(Spv.OP_NOT, type, v));
        };
    }

    /** Re-sign-extends a 32-bit value holding a byte or short. */
    private int narrow(ScalarType t, int v) {
        if (t != ScalarType.I8 && t != ScalarType.I16) {
            return v;
        }
        int bits = i32(t == ScalarType.I8 ? 24 : 16);
        int i = m.intType(32);
        return value(Spv.OP_SHIFT_RIGHT_ARITHMETIC, i, value(Spv.OP_SHIFT_LEFT_LOGICAL, i, v, bits), bits);
    }

    private int binary(Expr.Binary b) {
        if (b.op().isLogical()) {
            return shortCircuit(b);
        }
        ScalarType t = b.left().type();
        int l = expr(b.left());
        int r = expr(b.right());
        int bool = m.boolType();
        if (t == ScalarType.BOOL) {
            int op = switch (b.op()) {
                case EQ -> Spv.OP_LOGICAL_EQUAL;
                case NE, XOR -> Spv.OP_LOGICAL_NOT_EQUAL;
                case AND -> Spv.OP_LOGICAL_AND;
                case OR -> Spv.OP_LOGICAL_OR;
                default -> throw error(b.line(), b.op() + " on booleans");
            };
            return value(op, bool, l, r);
        }
        if (b.op().isComparison()) {
            int op = t.isFloating() ? switch (b.op()) {
                case EQ -> Spv.OP_F_ORD_EQUAL;
                case NE -> Spv.OP_F_UNORD_NOT_EQUAL; // Java: NaN != x is true
                case LT -> Spv.OP_F_ORD_LESS_THAN;
                case LE -> Spv.OP_F_ORD_LESS_THAN_EQUAL;
                case GT -> Spv.OP_F_ORD_GREATER_THAN;
                default -> Spv.OP_F_ORD_GREATER_THAN_EQUAL;
            } : switch (b.op()) {
                case EQ -> Spv.OP_I_EQUAL;
                case NE -> Spv.OP_I_NOT_EQUAL;
                case LT -> Spv.OP_S_LESS_THAN;
                case LE -> Spv.OP_S_LESS_THAN_EQUAL;
                case GT -> Spv.OP_S_GREATER_THAN;
                default -> Spv.OP_S_GREATER_THAN_EQUAL;
            };
            return value(op, bool, l, r);
        }
        int type = valueType(t);
        if (t.isFloating()) {
            int op = switch (b.op()) {
                case ADD -> Spv.OP_F_ADD;
                case SUB -> Spv.OP_F_SUB;
                case MUL -> Spv.OP_F_MUL;
                case DIV -> Spv.OP_F_DIV;
                case REM -> Spv.OP_F_REM; // fmod: the sign of the dividend, as Java's %
                default -> throw error(b.line(), b.op() + " on " + t.javaName());
            };
            return value(op, type, l, r);
        }
        int op = switch (b.op()) {
            case ADD -> Spv.OP_I_ADD;
            case SUB -> Spv.OP_I_SUB;
            case MUL -> Spv.OP_I_MUL;
            case DIV -> Spv.OP_S_DIV;
            case REM -> Spv.OP_S_REM;
            case AND -> Spv.OP_BITWISE_AND;
            case OR -> Spv.OP_BITWISE_OR;
            case XOR -> Spv.OP_BITWISE_XOR;
            case SHL -> Spv.OP_SHIFT_LEFT_LOGICAL;
            case SHR -> Spv.OP_SHIFT_RIGHT_ARITHMETIC;
            case USHR -> Spv.OP_SHIFT_RIGHT_LOGICAL;
            default -> throw error(b.line(), b.op() + " on " + t.javaName());
        };
        if (b.op().isShift()) {
            // Java uses the low 5 (int) or 6 (long) bits of the count
            r = value(Spv.OP_BITWISE_AND, m.intType(32), r, i32(t == ScalarType.I64 ? 63 : 31));
            if (t == ScalarType.I64) {
                r = value(Spv.OP_U_CONVERT, m.intType(64), r);
            }
        }
        return narrow(t, value(op, type, l, r));
    }

    /** True when evaluating {@code e} cannot fault or have an effect, so it may run unconditionally. */
    private static boolean speculable(Expr e) {
        boolean[] ok = {true};
        IrNodes.forEachExpr(e, x -> ok[0] &= !(x instanceof Expr.Load || x instanceof Expr.ByteLoad
                || x instanceof Expr.Call));
        return ok[0];
    }

    private int shortCircuit(Expr.Binary b) {
        boolean and = b.op() == BinaryOp.LOGICAL_AND;
        int l = expr(b.left());
        if (speculable(b.right())) {
            return value(and ? Spv.OP_LOGICAL_AND : Spv.OP_LOGICAL_OR, m.boolType(), l, expr(b.right()));
        }
        int from = currentLabel();
        int rhs = m.id();
        int merge = m.id();
        effect(Spv.OP_SELECTION_MERGE, merge, 0);
        terminate(Spv.OP_BRANCH_CONDITIONAL, l, and ? rhs : merge, and ? merge : rhs);
        label(rhs);
        int r = expr(b.right());
        int rEnd = currentLabel();
        label(merge);
        return value(Spv.OP_PHI, m.boolType(), l, from, r, rEnd);
    }

    private int ternary(Expr.Ternary t) {
        int type = valueType(t.type());
        int c = expr(t.cond());
        if (speculable(t.ifTrue()) && speculable(t.ifFalse())) {
            int a = expr(t.ifTrue());
            int f = expr(t.ifFalse());
            return value(Spv.OP_SELECT, type, c, a, f);
        }
        int thenLabel = m.id();
        int elseLabel = m.id();
        int merge = m.id();
        effect(Spv.OP_SELECTION_MERGE, merge, 0);
        terminate(Spv.OP_BRANCH_CONDITIONAL, c, thenLabel, elseLabel);
        label(thenLabel);
        int a = expr(t.ifTrue());
        int aEnd = currentLabel();
        branch(merge);
        label(elseLabel);
        int f = expr(t.ifFalse());
        int fEnd = currentLabel();
        label(merge);
        return value(Spv.OP_PHI, type, a, aEnd, f, fEnd);
    }

    private int cast(ScalarType to, int v, ScalarType from, int line) {
        if (to == from) {
            return v;
        }
        if (to == ScalarType.BOOL || from == ScalarType.BOOL) {
            throw error(line, "cast between " + from.javaName() + " and " + to.javaName());
        }
        int type = valueType(to);
        return switch (to) {
            case I64 -> from.isFloating() ? floatToInt(v, from, ScalarType.I64) : value(Spv.OP_S_CONVERT, type, v);
            case I32, I16, I8 -> {
                int i = switch (from) {
                    case F32, F64 -> floatToInt(v, from, ScalarType.I32);
                    case I64 -> value(Spv.OP_U_CONVERT, m.intType(32), v);
                    default -> v;
                };
                yield narrow(to, i);
            }
            case F32, F64 -> from.isFloating() ? value(Spv.OP_F_CONVERT, type, v) : value(Spv.OP_CONVERT_S_TO_F, type, v);
            default -> throw error(line, "cast to " + to.javaName());
        };
    }

    /** Java's float-to-integer conversion: truncation, saturating at the range ends, NaN to 0. */
    private int floatToInt(int v, ScalarType from, ScalarType to) {
        int ft = valueType(from);
        int it = valueType(to);
        boolean wide = to == ScalarType.I64;
        double lo = wide ? -0x1p63 : -0x1p31;
        // the largest value below 2^31 or 2^63 in the source format
        double hi = from == ScalarType.F32 ? Math.nextDown((float) -lo) : Math.nextDown(-lo);
        int loC = from == ScalarType.F32 ? f32((float) lo) : m.constantDouble(lo);
        int hiC = from == ScalarType.F32 ? f32((float) hi) : m.constantDouble(hi);
        int topC = from == ScalarType.F32 ? f32((float) -lo) : m.constantDouble(-lo);
        int clamped = ext(ft, Spv.CL_FMAX, ext(ft, Spv.CL_FMIN, v, hiC), loC);
        int converted = value(Spv.OP_CONVERT_F_TO_S, it, clamped);
        int tooBig = value(Spv.OP_F_ORD_GREATER_THAN_EQUAL, m.boolType(), v, topC);
        int max = wide ? i64(Long.MAX_VALUE) : i32(Integer.MAX_VALUE);
        int zero = wide ? i64(0) : i32(0);
        int saturated = value(Spv.OP_SELECT, it, tooBig, max, converted);
        int nan = value(Spv.OP_IS_NAN, m.boolType(), v);
        return value(Spv.OP_SELECT, it, nan, zero, saturated);
    }

    // ---------------------------------------------------------------- calls

    private int call(Expr.Call c) {
        Function callee = ir.helper(c.function());
        Integer fid = functionIds.get(callee.name());
        List<Integer> args = new ArrayList<>();
        int argIndex = 0;
        boolean positional = c.args().size() == callee.params().size();
        for (Param p : callee.params()) {
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
            if (p instanceof Param.ArrayParam a) {
                if (!(arg instanceof Expr.ArrayArg aa)) {
                    throw error(c.line(), "argument " + a.name() + " of " + callee.name() + " is not an array");
                }
                Integer ptr = arrayPointers.get(aa.array().param());
                if (ptr == null) {
                    throw error(c.line(), "array " + aa.array().name() + " is not a parameter of " + function.name());
                }
                args.add(ptr);
            } else {
                args.add(expr(arg));
            }
        }
        for (int i : new java.util.TreeSet<>(signature.lengthsOf(callee.name()))) {
            if (!(KernelSignature.argumentFor(callee, c, i) instanceof Expr.ArrayArg aa)) {
                throw error(c.line(), "argument " + i + " of " + callee.name() + " is not an array");
            }
            args.add(arrayLength(new Expr.ArrayLength(aa.array(), c.line())));
        }
        int rt = callee.returnType() == ScalarType.VOID ? m.voidType() : valueType(callee.returnType());
        int[] operands = SpirvModule.concat(new int[] {fid}, args.stream().mapToInt(Integer::intValue).toArray());
        return value(Spv.OP_FUNCTION_CALL, rt, operands);
    }

    // ---------------------------------------------------------------- intrinsics

    private int intrinsic(Expr.IntrinsicCall call) {
        List<Expr> a = call.args();
        ScalarType t = call.type();
        int type = valueType(t);
        return switch (call.intrinsic()) {
            case MATH_EXP, KM_EXP -> ext(type, Spv.CL_EXP, expr(a.get(0)));
            case MATH_LOG, KM_LOG -> ext(type, Spv.CL_LOG, expr(a.get(0)));
            case MATH_SQRT, KM_SQRT -> ext(type, Spv.CL_SQRT, expr(a.get(0)));
            case KM_RSQRT -> ext(type, Spv.CL_RSQRT, expr(a.get(0)));
            case MATH_TANH, KM_TANH -> ext(type, Spv.CL_TANH, expr(a.get(0)));
            case MATH_SIN, KM_SIN -> ext(type, Spv.CL_SIN, expr(a.get(0)));
            case MATH_COS, KM_COS -> ext(type, Spv.CL_COS, expr(a.get(0)));
            case MATH_POW, KM_POW -> {
                int x = expr(a.get(0));
                yield ext(type, Spv.CL_POW, x, expr(a.get(1)));
            }
            case MATH_FMA, KM_FMA -> {
                int x = expr(a.get(0));
                int y = expr(a.get(1));
                yield ext(type, Spv.CL_FMA, x, y, expr(a.get(2)));
            }
            case MATH_FLOOR, KM_FLOOR -> ext(type, Spv.CL_FLOOR, expr(a.get(0)));
            case MATH_CEIL -> ext(type, Spv.CL_CEIL, expr(a.get(0)));
            case MATH_ABS -> ext(type, t.isFloating() ? Spv.CL_FABS : Spv.CL_S_ABS, expr(a.get(0)));
            case MATH_MIN, MATH_MAX -> {
                boolean min = call.intrinsic() == Intrinsic.MATH_MIN;
                int x = expr(a.get(0));
                int y = expr(a.get(1));
                int inst = t.isFloating() ? (min ? Spv.CL_FMIN : Spv.CL_FMAX) : (min ? Spv.CL_S_MIN : Spv.CL_S_MAX);
                yield ext(type, inst, x, y);
            }
            case MATH_ROUND -> round(a.get(0), t);
            case FLOAT16_TO_FLOAT -> halfBitsToFloat(expr(a.get(0)));
            case FLOAT_TO_FLOAT16 -> floatToHalfBits(expr(a.get(0)));
            case INT_BITS_TO_FLOAT -> value(Spv.OP_BITCAST, m.floatType(32), expr(a.get(0)));
            case FLOAT_TO_RAW_INT_BITS -> value(Spv.OP_BITCAST, m.intType(32), expr(a.get(0)));
            case IS_NAN -> value(Spv.OP_IS_NAN, m.boolType(), expr(a.get(0)));
        };
    }

    /** Java's Math.round: floor(x + 1/2), computed without the rounding error of x + 0.5. */
    private int round(Expr arg, ScalarType resultType) {
        ScalarType ft = arg.type();
        int type = valueType(ft);
        int x = expr(arg);
        int fl = ext(type, Spv.CL_FLOOR, x);
        int frac = value(Spv.OP_F_SUB, type, x, fl);
        int half = ft == ScalarType.F32 ? f32(0.5f) : m.constantDouble(0.5);
        int one = ft == ScalarType.F32 ? f32(1f) : m.constantDouble(1.0);
        int up = value(Spv.OP_F_ORD_GREATER_THAN_EQUAL, m.boolType(), frac, half);
        int r = value(Spv.OP_SELECT, type, up, value(Spv.OP_F_ADD, type, fl, one), fl);
        return floatToInt(r, ft, resultType);
    }
}
