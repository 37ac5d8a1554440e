package io.tessera.tasks.runtime.spirv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.tasks.compiler.ir.KernelIrStore;
import io.tessera.tasks.compiler.spirv.SpirvEmitter;
import io.tessera.tasks.runtime.EmittedKernels;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpirvModulesTest {
    private static byte[] module(String kernel) {
        return SpirvEmitter.emit(KernelIrStore.load(Arrays.stream(EmittedKernels.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(kernel)).findFirst().orElseThrow()), Map.of()).binary();
    }

    @Test
    void float64IsDeclaredExactlyWhenTheKernelComputesInDouble() {
        assertThat(SpirvModules.capabilities(module("sumInDouble"))).contains(SpirvModules.CAPABILITY_FLOAT64);
        assertThat(SpirvModules.capabilities(module("saxpy"))).doesNotContain(SpirvModules.CAPABILITY_FLOAT64)
                .contains(6, 4, 11); // Kernel, Addresses, Int64: every module declares them
    }

    @Test
    void notSpirvIsRejected() {
        assertThatThrownBy(() -> SpirvModules.capabilities(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .hasMessageContaining("not a little-endian SPIR-V module");
    }

    @Test
    void digestsDifferPerSpecialisation() {
        assertThat(SpirvModules.digest(module("saxpy"))).hasSize(64).isEqualTo(SpirvModules.digest(module("saxpy")))
                .isNotEqualTo(SpirvModules.digest(module("matMul")));
    }

    @Test
    void aModuleTheTranslatorRejectsIsAnErrorWithItsOutput() {
        assumeTrue(LlvmSpirv.find().isPresent(), "llvm-spirv is not installed (Debian llvm-spirv-15)");
        byte[] broken = module("saxpy");
        broken[20] = 0x7f; // the first instruction word: now an unknown opcode
        assertThatThrownBy(() -> LlvmSpirv.find().orElseThrow().toSpir12(broken))
                .isInstanceOf(LlvmSpirv.TranslationException.class).hasMessageContaining("-r exited with");
    }

    @Test
    void theTranslatorMakesLlvmBitcode() {
        assumeTrue(LlvmSpirv.find().isPresent(), "llvm-spirv is not installed (Debian llvm-spirv-15)");
        byte[] bitcode = LlvmSpirv.find().orElseThrow().toSpir12(module("saxpy"));
        assertThat(bitcode).startsWith((byte) 'B', (byte) 'C', (byte) 0xC0, (byte) 0xDE);
    }
}
