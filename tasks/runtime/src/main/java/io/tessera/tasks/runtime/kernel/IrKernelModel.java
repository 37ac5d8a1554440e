package io.tessera.tasks.runtime.kernel;

import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.jvm.JvmEmitter;
import io.tessera.tasks.compiler.jvm.JvmKernel;
import io.tessera.tasks.compiler.opencl.OpenClEmitter;
import io.tessera.tasks.compiler.opencl.OpenClSource;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A kernel described by its stored IR; device code is generated from the IR by the compiler's back ends. */
final class IrKernelModel implements KernelModel {
    private final Method method;
    private final KernelIr ir;
    private final Set<Integer> written;
    private JvmKernel jvm;

    IrKernelModel(Method method, KernelIr ir) {
        this.method = method;
        this.ir = ir;
        this.written = WrittenArrays.of(ir);
    }

    @Override
    public Set<Integer> writtenParameters() {
        return written;
    }

    @Override
    public Method method() {
        return method;
    }

    @Override
    public boolean hasBarriers() {
        return ir.hasBarriers();
    }

    @Override
    public long[] parallelIterations(Object[] args) {
        return ir.parallelIterations(args);
    }

    @Override
    public String sourceLocation() {
        return ir.sourceFile() + ":" + ir.line();
    }

    @Override
    public OpenClProgramSource openCl(Map<Integer, Object> constants) {
        OpenClSource emitted = OpenClEmitter.emit(ir, constants);
        List<OpenClProgramSource.Argument> arguments = emitted.arguments().stream()
                .<OpenClProgramSource.Argument>map(a -> switch (a) {
                    case OpenClSource.KernelArgument.Value v -> new OpenClProgramSource.Argument.Value(v.parameter());
                    case OpenClSource.KernelArgument.Length l -> new OpenClProgramSource.Argument.Length(l.parameter());
                }).toList();
        return new OpenClProgramSource(emitted.kernelName(), emitted.source(), arguments);
    }

    /** The generated class, made once per kernel; KernelContext kernels have none. */
    @Override
    public synchronized Optional<SlicedKernel> jvmSlices() {
        if (ir.usesContext()) {
            return Optional.empty();
        }
        if (jvm == null) {
            jvm = JvmEmitter.emit(ir);
        }
        JvmKernel kernel = jvm;
        return Optional.of(kernel::run);
    }
}
