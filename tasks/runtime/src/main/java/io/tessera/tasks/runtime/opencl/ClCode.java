package io.tessera.tasks.runtime.opencl;

import io.tessera.tasks.compiler.ptx.KernelSignature;
import io.tessera.tasks.compiler.spirv.SpirvEmitter.SpirvKernel;
import io.tessera.tasks.runtime.kernel.OpenClProgramSource;
import io.tessera.tasks.runtime.spirv.SpirvModules;
import java.util.List;

/** One kernel's device code for an OpenCL driver, the key its program is cached by, and its arguments. */
sealed interface ClCode {
    String kernelName();

    List<OpenClProgramSource.Argument> arguments();

    /** Equal for equal code: one program per specialisation. */
    String cacheKey();

    /** True when the code computes in double precision (needs {@code cl_khr_fp64}). */
    boolean usesDouble();

    /** True when the code does half-precision arithmetic (needs {@code cl_khr_fp16}). */
    boolean usesHalfArithmetic();

    /** OpenCL C, built with {@code clCreateProgramWithSource}. */
    record Source(OpenClProgramSource source) implements ClCode {
        @Override
        public String kernelName() {
            return source.kernelName();
        }

        @Override
        public List<OpenClProgramSource.Argument> arguments() {
            return source.arguments();
        }

        @Override
        public String cacheKey() {
            return source.source();
        }

        @Override
        public boolean usesDouble() {
            return source.source().contains("cl_khr_fp64");
        }

        @Override
        public boolean usesHalfArithmetic() {
            return source.source().contains("cl_khr_fp16");
        }
    }

    /**
     * A SPIR-V module: loaded with {@code clCreateProgramWithIL}, or, when {@code viaSpir12}, first
     * translated to SPIR 1.2 bitcode and loaded with {@code clCreateProgramWithBinary}. Half-precision
     * data is converted with {@code vload_half}/{@code vstore_half}, never computed on as half.
     */
    record Spirv(SpirvKernel kernel, boolean viaSpir12, String cacheKey, boolean usesDouble,
                 List<OpenClProgramSource.Argument> arguments) implements ClCode {
        static Spirv of(SpirvKernel kernel, boolean viaSpir12) {
            byte[] binary = kernel.binary();
            List<OpenClProgramSource.Argument> arguments = kernel.signature().arguments().stream()
                    .<OpenClProgramSource.Argument>map(a -> switch (a) {
                        case KernelSignature.LengthArgument l -> new OpenClProgramSource.Argument.Length(l.param());
                        case KernelSignature.ArrayArgument x -> new OpenClProgramSource.Argument.Value(x.param());
                        case KernelSignature.ScalarArgument s -> new OpenClProgramSource.Argument.Value(s.param());
                    }).toList();
            return new Spirv(kernel, viaSpir12, kernel.entryName() + "@" + SpirvModules.digest(binary),
                    SpirvModules.capabilities(binary).contains(SpirvModules.CAPABILITY_FLOAT64), arguments);
        }

        @Override
        public String kernelName() {
            return kernel.entryName();
        }

        @Override
        public boolean usesHalfArithmetic() {
            return false;
        }
    }
}
