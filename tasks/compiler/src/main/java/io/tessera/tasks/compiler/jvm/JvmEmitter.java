package io.tessera.tasks.compiler.jvm;

import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessFlag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a kernel's IR to a hidden class implementing {@link JvmKernel}, for {@code @Parallel}
 * kernels without a hand-written JVM form. The class has a static method per helper and one for
 * the kernel, taking the kernel's parameters and the slice {@code (from, to)}; typed arrays are
 * used through their get/set methods, which the JIT inlines. Kernels with a {@code KernelContext}
 * have no JVM form here: the runtime runs the method itself once per work-item.
 */
public final class JvmEmitter {
    private static final ClassDesc OBJECT_ARRAY = ConstantDescs.CD_Object.arrayType();
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(ConstantDescs.CD_void, OBJECT_ARRAY,
            ConstantDescs.CD_int, ConstantDescs.CD_int);

    private JvmEmitter() {
    }

    public static JvmKernel emit(KernelIr ir) {
        if (ir.usesContext()) {
            throw new IllegalArgumentException("kernel " + ir.qualifiedName() + " takes a KernelContext: it has no "
                    + "generated JVM form; the runtime runs the method itself per work-item");
        }
        String simple = "Kernel_" + ir.name().replaceAll("[^A-Za-z0-9_]", "_");
        ClassDesc self = ClassDesc.of(JvmEmitter.class.getPackageName(), simple);
        Map<String, Function> helpers = new HashMap<>();
        ir.helpers().forEach(h -> helpers.put(h.name(), h));
        ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver()
                .orElse(ClassHierarchyResolver.ofClassLoading(JvmEmitter.class.getClassLoader()));
        byte[] bytes = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver)).build(self, clb -> {
            clb.withFlags(AccessFlag.PUBLIC, AccessFlag.FINAL, AccessFlag.SUPER);
            clb.withInterfaceSymbols(ClassDesc.of(JvmKernel.class.getName()));
            clb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> {
                code.aload(0);
                code.invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void);
                code.return_();
            });
            clb.withMethodBody("run", RUN, ClassFile.ACC_PUBLIC, code -> run(code, ir, self));
            kernelMethod(clb, ir, self, helpers);
            for (Function h : ir.helpers()) {
                clb.withMethodBody(methodName(h.name()), Descriptors.method(h, List.of()),
                        ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC, code -> body(code, h, self, helpers, -1, -1));
            }
        });
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (JvmKernel) lookup.findConstructor(lookup.lookupClass(), java.lang.invoke.MethodType.methodType(void.class))
                    .invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("kernel " + ir.qualifiedName() + ": the generated JVM form does not load", e);
        }
    }

    static String methodName(String helper) {
        return "helper_" + helper;
    }

    /** {@code run(Object[] args, int from, int to)}: unboxes the arguments and calls the kernel method. */
    private static void run(CodeBuilder code, KernelIr ir, ClassDesc self) {
        List<Param> params = ir.params();
        for (int i = 0; i < params.size(); i++) {
            code.aload(1);
            code.loadConstant(i);
            code.aaload();
            switch (params.get(i)) {
                case Param.ArrayParam a -> code.checkcast(Descriptors.typedArray(a.element()));
                case Param.ScalarParam s -> unbox(code, s.type());
                case Param.ContextParam c -> throw new IllegalStateException(c.name());
            }
        }
        code.iload(2);
        code.iload(3);
        code.invokestatic(self, "kernel", Descriptors.method(ir.kernel(), List.of(ConstantDescs.CD_int, ConstantDescs.CD_int)));
        code.return_();
    }

    private static void unbox(CodeBuilder code, ScalarType type) {
        ClassDesc box = switch (type) {
            case BOOL -> ConstantDescs.CD_Boolean;
            case I32 -> ConstantDescs.CD_Integer;
            case I64 -> ConstantDescs.CD_Long;
            case F32 -> ConstantDescs.CD_Float;
            case F64 -> ConstantDescs.CD_Double;
            default -> throw new IllegalArgumentException("kernel parameter of " + type);
        };
        code.checkcast(box);
        code.invokevirtual(box, type.javaName() + "Value", MethodTypeDesc.of(Descriptors.of(type)));
    }

    private static void kernelMethod(ClassBuilder clb, KernelIr ir, ClassDesc self, Map<String, Function> helpers) {
        Function k = ir.kernel();
        clb.withMethodBody("kernel", Descriptors.method(k, List.of(ConstantDescs.CD_int, ConstantDescs.CD_int)),
                ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC, code -> {
                    int params = new Slots(k.params()).allocate(ScalarType.I32);
                    if (ir.parallelLoops().isEmpty()) {
                        // one iteration: it belongs to the slice that holds iteration 0
                        java.lang.classfile.Label run = code.newLabel();
                        java.lang.classfile.Label skip = code.newLabel();
                        code.iload(params);
                        code.ifgt(skip);
                        code.iload(params + 1);
                        code.ifgt(run);
                        code.labelBinding(skip);
                        code.return_();
                        code.labelBinding(run);
                    }
                    body(code, k, self, helpers, params, params + 1);
                });
    }

    private static void body(CodeBuilder code, Function f, ClassDesc self, Map<String, Function> helpers,
                             int fromSlot, int toSlot) {
        Slots slots = new Slots(f.params());
        if (fromSlot >= 0) {
            slots.allocate(ScalarType.I32);
            slots.allocate(ScalarType.I32);
        }
        ExpressionEmitter exprs = new ExpressionEmitter(code, slots, self, helpers);
        StatementEmitter statements = new StatementEmitter(code, slots, exprs, f.returnType(), fromSlot, toSlot);
        for (Stmt s : f.body().body()) {
            statements.statement(s);
        }
        if (f.returnType() == ScalarType.VOID) {
            code.return_();
        } else {
            // javac proved every path returns; this end is unreachable and only closes the code
            code.aconst_null();
            code.athrow();
        }
    }
}
