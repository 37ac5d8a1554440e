package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;

/**
 * Every kernel of the library went through the build-time checker (its IR was written), and every
 * Vector API form named by {@code @Kernel(jvm = ...)} follows the JVM convention: same class,
 * static, the kernel's parameters followed by {@code int from, int to}.
 */
class KernelCatalogueTest {
    static Stream<Method> kernels() {
        return KernelLibrary.kernels().stream();
    }

    @Test
    void theLibraryHoldsTheExpectedKernels() {
        assertThat(kernels().count()).isEqualTo(52);
        assertThat(kernels().filter(m -> !m.getAnnotation(Kernel.class).jvm().isEmpty()).count()).isEqualTo(21);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void irWasWrittenAndMatchesTheMethod(Method kernel) {
        KernelIr ir = KernelIrStore.load(kernel);
        assertThat(ir.name()).isEqualTo(kernel.getName());
        assertThat(ir.params()).hasSize(kernel.getParameterCount());
        assertThat(Modifier.isStatic(kernel.getModifiers())).isTrue();
        assertThat(kernel.getReturnType()).isEqualTo(void.class);
        assertThat(ir.jvmImplementation()).isEqualTo(kernel.getAnnotation(Kernel.class).jvm());
        if (ir.usesContext()) {
            assertThat(ir.parallelLoops()).isEmpty();
        } else {
            assertThat(ir.parallelLoops()).as("kernels without a context are @Parallel").isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void namedVectorFormFollowsTheJvmConvention(Method kernel) throws NoSuchMethodException {
        String jvm = kernel.getAnnotation(Kernel.class).jvm();
        if (jvm.isEmpty()) {
            return;
        }
        Class<?>[] params = Arrays.copyOf(kernel.getParameterTypes(), kernel.getParameterCount() + 2);
        params[params.length - 2] = int.class;
        params[params.length - 1] = int.class;
        Method vec = kernel.getDeclaringClass().getDeclaredMethod(jvm, params);
        assertThat(Modifier.isStatic(vec.getModifiers())).isTrue();
        assertThat(vec.getReturnType()).isEqualTo(void.class);
        assertThat(vec.isAnnotationPresent(Kernel.class)).isFalse();
    }

    @Test
    void dimensionZeroIsWhatTheVectorFormsSlice() throws NoSuchMethodException {
        FloatArray any = FloatArray.allocate(1);
        KernelIr matMul = KernelIrStore.load(MatMul.class, "matMulF32");
        // (w, x, y, tokens, n, k): dimension 0 runs over the n rows of W, dimension 1 over tokens
        assertThat(matMul.parallelIterations(new Object[] {any, any, any, 5, 7, 32})).containsExactly(7, 5);
        KernelIr prefill = KernelIrStore.load(Attention.class, "attentionPrefill");
        assertThat(prefill.parallelIterations(
                new Object[] {any, any, any, null, any, 9, 4, 2, 16, 0, 0, 1f, 0f})).containsExactly(9, 4);
        KernelIr heads = KernelIrStore.load(Norm.class, "rmsNormHeads");
        assertThat(heads.parallelIterations(new Object[] {any, any, any, 3, 8, 64, 1e-6f})).containsExactly(3, 8);
        KernelIr patch = KernelIrStore.load(Conv.class, "patchEmbed");
        assertThat(patch.parallelIterations(new Object[] {any, any, any, any, 3, 30, 17, 4, 4, 4}))
                .containsExactly(7 * 4, 4);
    }
}
