package io.tessera.tasks.runtime.kernel;

import io.tessera.tasks.compiler.ir.KernelIr;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/** A kernel described by its stored IR; device code is generated from the IR by the compiler's back ends. */
record IrKernelModel(Method method, KernelIr ir) implements KernelModel {
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
        throw new UnsupportedOperationException("this build of the kernel compiler has no OpenCL C back end");
    }

    @Override
    public Optional<SlicedKernel> jvmSlices() {
        return Optional.empty();
    }
}
