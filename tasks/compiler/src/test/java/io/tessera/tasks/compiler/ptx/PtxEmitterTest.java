package io.tessera.tasks.compiler.ptx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.tasks.compiler.ir.KernelIrException;
import io.tessera.tasks.compiler.ptx.PtxEmitter.PtxKernel;
import io.tessera.tasks.compiler.ptx.TestKernels.TestKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PtxEmitterTest {
    private static final Path PTXAS = ExternalTool.find("ptxas");

    @TempDir
    Path dir;

    static Stream<Arguments> kernelsAndArchitectures() {
        List<Arguments> cases = new ArrayList<>();
        for (TestKernel k : TestKernels.all()) {
            // {emitted for compute capability, assembled for}: sm_70 code is assembled for sm_75,
            // as ptxas 13 no longer assembles for sm_70 but drivers still JIT it
            for (int[] arch : new int[][] {{80, 80}, {90, 90}, {75, 75}, {70, 75}}) {
                cases.add(Arguments.of(k, arch[0], arch[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} for sm_{1}, ptxas -arch=sm_{2}")
    @MethodSource("kernelsAndArchitectures")
    void ptxasAcceptsTheModule(TestKernel kernel, int sm, int arch) throws Exception {
        PtxKernel ptx = PtxEmitter.emit(kernel.ir(), Map.of(), sm);
        assertThat(ptx.ptx()).contains(".version 7.8", ".target sm_" + PtxEmitter.target(sm), ".address_size 64",
                ".visible .entry " + ptx.entryName() + "(");
        assumeTrue(PTXAS != null, "ptxas is not installed (CUDA toolkit absent); PTX not assembled");
        Path file = dir.resolve(kernel.name() + "_sm" + sm + ".ptx");
        Files.writeString(file, ptx.ptx());
        ExternalTool.Result r = ExternalTool.run(List.of(PTXAS.toString(), "-arch=sm_" + arch, file.toString(),
                "-o", dir.resolve(kernel.name() + ".cubin").toString()));
        assertThat(r.exitCode()).as("ptxas output:\n%s\nPTX:\n%s", r.output(), numbered(ptx.ptx())).isZero();
    }

    static Stream<Arguments> pluginKernelsAndArchitectures() {
        return PluginKernels.all().stream().flatMap(k -> Stream.of(Arguments.of(k, 80), Arguments.of(k, 90)));
    }

    @ParameterizedTest(name = "plugin IR {0}, ptxas -arch=sm_{1}")
    @MethodSource("pluginKernelsAndArchitectures")
    void ptxasAcceptsThePluginKernels(PluginKernels.Named kernel, int sm) throws Exception {
        PtxKernel ptx = PtxEmitter.emit(kernel.ir(), Map.of(), sm);
        assumeTrue(PTXAS != null, "ptxas is not installed (CUDA toolkit absent); PTX not assembled");
        Path file = dir.resolve(ptx.entryName() + "_sm" + sm + ".ptx");
        Files.writeString(file, ptx.ptx());
        ExternalTool.Result r = ExternalTool.run(List.of(PTXAS.toString(), "-arch=sm_" + sm, file.toString(),
                "-o", dir.resolve(ptx.entryName() + ".cubin").toString()));
        assertThat(r.exitCode()).as("ptxas output:\n%s\nPTX:\n%s", r.output(), numbered(ptx.ptx())).isZero();
    }

    static String numbered(String text) {
        StringBuilder s = new StringBuilder();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            s.append(String.format("%4d  %s%n", i + 1, lines[i]));
        }
        return s.toString();
    }

    @Test
    void parallelLoopsAreGridStride() {
        String ptx = PtxEmitter.emit(TestKernels.vectorAdd().ir(), Map.of(), 80).ptx();
        assertThat(ptx).contains("%ctaid.x", "%nctaid.x", "%ntid.x", "%tid.x", "cvta.to.global.u64",
                "setp.ge.s64", "// line ", "// @Parallel i: dimension 0, grid-stride", "add.rn.f32");
        String twoD = PtxEmitter.emit(TestKernels.addMatrices2d().ir(), Map.of(), 80).ptx();
        assertThat(twoD).contains("%ctaid.y", "%nctaid.y");
        String threeD = PtxEmitter.emit(TestKernels.sum3d().ir(), Map.of(), 80).ptx();
        assertThat(threeD).contains("%ctaid.z", "%nctaid.z");
    }

    @Test
    void explicitKernelsUseSharedMemoryAndBarriers() {
        String ptx = PtxEmitter.emit(TestKernels.rmsNorm().ir(), Map.of(), 80).ptx();
        assertThat(ptx).contains(".shared .align 4 .f32 shared_partial_0[128]", "bar.sync 0", "ld.shared.f32",
                "st.shared.f32", "rsqrt.approx.f32", "%tid.x", "%ntid.x", "%ctaid.x");
    }

    @Test
    void halfAndBfloat16Conversions() {
        String sm80 = PtxEmitter.emit(TestKernels.bf16Convert().ir(), Map.of(), 80).ptx();
        assertThat(sm80).contains("ld.global.u16", "cvt.f32.f16", "cvt.rn.f16.f32", "cvt.rn.bf16.f32", "shl.b32");
        String sm75 = PtxEmitter.emit(TestKernels.bf16Convert().ir(), Map.of(), 75).ptx();
        assertThat(sm75).doesNotContain("cvt.rn.bf16").contains("setp.nan.f32", "bfe.u32");
    }

    @Test
    void mathIntrinsicsFollowTheTarget() {
        String sm80 = PtxEmitter.emit(TestKernels.mathOps().ir(), Map.of(), 80).ptx();
        assertThat(sm80).contains("ex2.approx.f32", "lg2.approx.f32", "sqrt.rn.f32", "sin.approx.f32",
                "cos.approx.f32", "fma.rn.f32", "cvt.rmi.f32.f32", "min.NaN.f32", "cvt.rzi.s32.f32", "setp.nan.f32");
        String gelu75 = PtxEmitter.emit(TestKernels.gelu().ir(), Map.of(), 75).ptx();
        assertThat(gelu75).contains("tanh.approx.f32", ".func (.param .f32 helper_geluOne_ret) helper_geluOne(",
                "call.uni (retval), helper_geluOne");
        String gelu70 = PtxEmitter.emit(TestKernels.gelu().ir(), Map.of(), 70).ptx();
        assertThat(gelu70).doesNotContain("tanh.approx").contains(".target sm_70");
    }

    @Test
    void integerSemanticsMatchJava() {
        String ptx = PtxEmitter.emit(TestKernels.integerOps().ir(), Map.of(), 80).ptx();
        assertThat(ptx).contains("div.s32", "rem.s32", "shr.s32", "shr.u32", "shr.u64", "shl.b64", "mul.lo.s32",
                "div.s64", "and.b32 %r", ", 31;", ", 63;");
    }

    @Test
    void foldedConstantsLeaveTheSignature() {
        TestKernel saxpy = TestKernels.saxpy();
        PtxKernel full = PtxEmitter.emit(saxpy.ir(), Map.of(), 80);
        PtxKernel folded = PtxEmitter.emit(saxpy.ir(), Map.of(0, 2.0f, 3, 64), 80);
        assertThat(full.signature().arguments()).extracting(KernelSignature.Argument::name)
                .containsExactly("alpha", "x", "y", "n");
        assertThat(folded.signature().arguments()).extracting(KernelSignature.Argument::name)
                .containsExactly("x", "y");
        assertThat(folded.ptx()).doesNotContain("saxpy_alpha").containsPattern("mov.f32 %f\\d+, 0f40000000;")
                .containsPattern("mov.b32 %r\\d+, 64;");
    }

    @Test
    void lengthsArePassedAfterTheParameters() {
        KernelSignature sig = PtxEmitter.emit(TestKernels.vectorAdd().ir(), Map.of(), 80).signature();
        assertThat(sig.arguments()).extracting(KernelSignature.Argument::name)
                .containsExactly("a", "b", "c", "c_length");
    }

    @Test
    void targetsAreChosenFromTheComputeCapability() {
        assertThat(PtxEmitter.target(86)).isEqualTo(86);
        assertThat(PtxEmitter.target(88)).isEqualTo(87);
        assertThat(PtxEmitter.target(100)).isEqualTo(90);
        assertThat(PtxEmitter.target(70)).isEqualTo(70);
        assertThatThrownBy(() -> PtxEmitter.emit(TestKernels.vectorAdd().ir(), Map.of(), 61))
                .isInstanceOf(KernelIrException.class).hasMessageContaining("6.1");
    }

    @Test
    void constantsMustNameScalarParameters() {
        assertThatThrownBy(() -> PtxEmitter.emit(TestKernels.saxpy().ir(), Map.of(1, 3), 80))
                .isInstanceOf(KernelIrException.class).hasMessageContaining("parameter index 1");
    }
}
