package io.tessera.tasks.compiler.spirv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.tasks.compiler.ptx.ExternalTool;
import io.tessera.tasks.compiler.ptx.KernelSignature;
import io.tessera.tasks.compiler.ptx.TestKernels;
import io.tessera.tasks.compiler.ptx.TestKernels.TestKernel;
import io.tessera.tasks.compiler.spirv.SpirvEmitter.SpirvKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpirvEmitterTest {
    private static final Path SPIRV_VAL = ExternalTool.find("spirv-val");
    private static final Path SPIRV_DIS = ExternalTool.find("spirv-dis");

    @TempDir
    Path dir;

    static List<TestKernel> kernels() {
        return TestKernels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void spirvValAcceptsTheModule(TestKernel kernel) throws Exception {
        SpirvKernel spv = SpirvEmitter.emit(kernel.ir(), Map.of());
        ByteBuffer words = ByteBuffer.wrap(spv.binary()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(words.getInt(0)).isEqualTo(0x07230203);
        assertThat(words.getInt(4)).isEqualTo(0x00010000);
        assumeTrue(SPIRV_VAL != null, "spirv-val is not installed (Debian spirv-tools); module not validated");
        Path file = dir.resolve(kernel.name() + ".spv");
        Files.write(file, spv.binary());
        ExternalTool.Result r = ExternalTool.run(List.of(SPIRV_VAL.toString(), "--target-env", "opencl2.1", file.toString()));
        assertThat(r.exitCode()).as("spirv-val:\n%s\n%s", r.output(), disassemble(file)).isZero();
    }

    static List<io.tessera.tasks.compiler.ptx.PluginKernels.Named> pluginKernels() {
        return io.tessera.tasks.compiler.ptx.PluginKernels.all();
    }

    @ParameterizedTest(name = "plugin IR {0}")
    @MethodSource("pluginKernels")
    void spirvValAcceptsThePluginKernels(io.tessera.tasks.compiler.ptx.PluginKernels.Named kernel) throws Exception {
        SpirvKernel spv = SpirvEmitter.emit(kernel.ir(), Map.of());
        assumeTrue(SPIRV_VAL != null, "spirv-val is not installed (Debian spirv-tools); module not validated");
        Path file = dir.resolve(spv.entryName() + ".spv");
        Files.write(file, spv.binary());
        ExternalTool.Result r = ExternalTool.run(List.of(SPIRV_VAL.toString(), "--target-env", "opencl2.1", file.toString()));
        assertThat(r.exitCode()).as("spirv-val:\n%s\n%s", r.output(), disassemble(file)).isZero();
    }

    private String disassemble(Path file) throws Exception {
        if (SPIRV_DIS == null) {
            return "(spirv-dis absent)";
        }
        return ExternalTool.run(List.of(SPIRV_DIS.toString(), file.toString())).output();
    }

    private String disassembly(TestKernel kernel, Map<Integer, Object> constants) throws Exception {
        assumeTrue(SPIRV_DIS != null, "spirv-dis is not installed (Debian spirv-tools)");
        Path file = dir.resolve(kernel.name() + ".spv");
        Files.write(file, SpirvEmitter.emit(kernel.ir(), constants).binary());
        ExternalTool.Result r = ExternalTool.run(List.of(SPIRV_DIS.toString(), file.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    @Test
    void disassemblyIsReadable() throws Exception {
        String dis = disassembly(TestKernels.vectorAdd(), Map.of());
        assertThat(dis).contains("OpCapability Kernel", "OpCapability Addresses", "OpCapability Int64",
                "OpMemoryModel Physical64 OpenCL", "OpEntryPoint Kernel %vectorAdd \"vectorAdd\"",
                "OpExecutionMode %vectorAdd ContractionOff", "OpDecorate %__spirv_BuiltInGlobalInvocationId BuiltIn GlobalInvocationId",
                "OpDecorate %__spirv_BuiltInGlobalSize BuiltIn GlobalSize", "%a = OpFunctionParameter",
                "OpTypePointer CrossWorkgroup %float", "OpLoopMerge", "OpInBoundsPtrAccessChain", "OpFAdd");
        assertThat(dis).doesNotContain("Int8", "Float16", "Float64");
    }

    @Test
    void capabilitiesOnlyWhenUsed() throws Exception {
        String half = disassembly(TestKernels.bf16Convert(), Map.of());
        assertThat(half).contains("OpCapability Float16Buffer", "OpCapability Int16", "vload_half", "vstore_half")
                .doesNotContain("OpCapability Float16\n");
        String bytes = disassembly(TestKernels.matVecQ8(), Map.of());
        assertThat(bytes).contains("OpCapability Int8", "vload_half");
        String doubles = disassembly(TestKernels.doubles(), Map.of());
        assertThat(doubles).contains("OpCapability Float64", "OpExtInst %double %1 exp");
    }

    @Test
    void explicitKernelsUseWorkgroupMemoryAndBarriers() throws Exception {
        String dis = disassembly(TestKernels.rmsNorm(), Map.of());
        assertThat(dis).contains("OpTypePointer Workgroup", "OpControlBarrier %uint_2 %uint_2 %uint_272",
                "BuiltIn LocalInvocationId", "BuiltIn WorkgroupId", "BuiltIn WorkgroupSize", "rsqrt", "OpSelectionMerge");
    }

    @Test
    void helpersAreFunctionsAndMathIsOpenClStd() throws Exception {
        String dis = disassembly(TestKernels.gelu(), Map.of());
        assertThat(dis).contains("%geluOne = OpFunction %float", "OpFunctionCall %float %geluOne", "tanh", "OpPhi");
        String math = disassembly(TestKernels.mathOps(), Map.of());
        assertThat(math).contains("exp", "log", "sqrt", "sin", "cos", "pow", "fma", "floor", "ceil", "fmin", "fmax",
                "fabs", "OpIsNan", "OpBitcast");
        String ints = disassembly(TestKernels.integerOps(), Map.of());
        assertThat(ints).contains("OpSDiv", "OpSRem", "OpShiftRightArithmetic", "OpShiftRightLogical", "OpShiftLeftLogical");
    }

    @Test
    void foldedConstantsLeaveTheSignature() throws Exception {
        SpirvKernel spv = SpirvEmitter.emit(TestKernels.saxpy().ir(), Map.of(3, 64));
        assertThat(spv.signature().arguments()).extracting(KernelSignature.Argument::name)
                .containsExactly("alpha", "x", "y");
        assertThat(disassembly(TestKernels.saxpy(), Map.of(3, 64))).contains("%uint_64 = OpConstant %uint 64")
                .doesNotContain("%n = OpFunctionParameter");
    }
}
