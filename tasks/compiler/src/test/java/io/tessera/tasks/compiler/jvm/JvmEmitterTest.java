package io.tessera.tasks.compiler.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import io.tessera.tasks.compiler.testkernels.ContextKernels;
import io.tessera.tasks.compiler.testkernels.HelperKernels;
import io.tessera.tasks.compiler.testkernels.KernelCase;
import io.tessera.tasks.compiler.testkernels.KernelCases;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated JVM form, run slice by slice, gives exactly what the Java method gives. */
class JvmEmitterTest {

    static List<KernelCase> cases() {
        return KernelCases.parallel();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void slicesReproduceTheJavaMethodExactly(KernelCase c) {
        Object[] expected = c.arguments(7);
        Object[] actual = KernelCase.copy(expected);
        c.runJava(expected);
        KernelIr ir = c.ir();
        JvmKernel kernel = JvmEmitter.emit(ir);

        long[] iterations = ir.parallelIterations(actual);
        int total = iterations.length == 0 ? 1 : (int) iterations[0];
        int[] cuts = {0, total / 3, total / 3, total - 1, total};
        for (int s = 0; s + 1 < cuts.length; s++) {
            kernel.run(actual, Math.max(0, cuts[s]), Math.max(0, cuts[s + 1]));
        }

        new KernelCase(c.name(), c.owner(), c.method(), r -> null, 0, c.global()).assertSameResults(expected, actual);
    }

    @Test
    void aSliceDoesOnlyItsIterations() {
        FloatArray a = FloatArray.allocate(10);
        JvmKernel fill = JvmEmitter.emit(KernelIrStore.load(HelperKernels.Nested.class, "fill"));

        fill.run(new Object[] {a, 1f, 8L}, 2, 5);

        assertThat(a.toArray()).containsExactly(0, 0, 1 + 2 % 3, 1 + 3 % 3, 1 + 4 % 3, 0, 0, 0, 0, 0);
    }

    @Test
    void aKernelWithoutParallelLoopsRunsInTheSliceOfIterationZero() {
        FloatArray a = FloatArray.of(1, 2, 3);
        JvmKernel prefix = JvmEmitter.emit(KernelIrStore.load(HelperKernels.class, "prefixSum"));

        prefix.run(new Object[] {a}, 1, 2);
        assertThat(a.toArray()).containsExactly(1, 2, 3);
        prefix.run(new Object[] {a}, 0, 1);
        assertThat(a.toArray()).containsExactly(1, 3, 6);
    }

    @Test
    void contextKernelsHaveNoGeneratedForm() {
        KernelIr reduce = KernelIrStore.load(ContextKernels.class, "reduceSum");
        assertThatThrownBy(() -> JvmEmitter.emit(reduce)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes a KernelContext");
    }
}
