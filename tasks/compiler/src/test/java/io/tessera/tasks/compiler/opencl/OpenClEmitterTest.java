package io.tessera.tasks.compiler.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import io.tessera.tasks.compiler.opencl.OpenClSource.KernelArgument;
import io.tessera.tasks.compiler.testkernels.BasicKernels;
import io.tessera.tasks.compiler.testkernels.ContextKernels;
import io.tessera.tasks.compiler.testkernels.HelperKernels;
import io.tessera.tasks.compiler.testkernels.KernelCase;
import io.tessera.tasks.compiler.testkernels.KernelCases;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Emitted programs are built by a real OpenCL compiler and give the results of the Java methods. */
@Tag("opencl")
class OpenClEmitterTest {
    private static OpenClDevice device;

    @BeforeAll
    static void openDevice() {
        device = OpenClDevice.open();
    }

    @AfterAll
    static void closeDevice() {
        if (device != null) {
            device.close();
        }
    }

    private static void requireDevice() {
        assumeTrue(device != null, () -> "skipped: " + OpenClDevice.unavailable());
    }

    static List<KernelCase> cases() {
        return KernelCases.parallel();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheJavaMethod(KernelCase c) {
        requireDevice();
        Object[] expected = c.arguments(42);
        Object[] actual = KernelCase.copy(expected);
        c.runJava(expected);

        device.run(OpenClEmitter.emit(c.ir(), Map.of()), actual, c.global(), null);

        c.assertSameResults(expected, actual);
    }

    @Test
    void foldedConstantsAreLiteralsAndLeaveTheArguments() {
        KernelIr saxpy = KernelIrStore.load(BasicKernels.class, "saxpy");
        OpenClSource source = OpenClEmitter.emit(saxpy, Map.of(0, 2.5f));

        assertThat(source.source()).contains("y[i] = (2.5f * x[i]) + y[i];").doesNotContain("alpha");
        assertThat(source.arguments()).containsExactly(new KernelArgument.Value(1, "x"),
                new KernelArgument.Value(2, "y"), new KernelArgument.Length(2, "y"));
        requireDevice();
        Object[] expected = {2.5f, FloatArray.of(1, 2, 3, 4, 5), FloatArray.of(5, 4, 3, 2, 1)};
        Object[] actual = KernelCase.copy(expected);
        BasicKernels.saxpy(2.5f, (FloatArray) expected[1], (FloatArray) expected[2]);
        device.run(source, actual, new long[] {2}, null);
        assertThat(((FloatArray) actual[2]).toArray()).containsExactly(((FloatArray) expected[2]).toArray());
    }

    @Test
    void sourceIsReadableAndEnablesDoublesOnlyWhenUsed() {
        String saxpy = OpenClEmitter.emit(KernelIrStore.load(BasicKernels.class, "saxpy"), Map.of()).source();
        String gelu = OpenClEmitter.emit(KernelIrStore.load(HelperKernels.class, "gelu"), Map.of(2, false)).source();

        assertThat(saxpy).doesNotContain("cl_khr_fp64").contains("__kernel void saxpy(const float alpha, "
                + "__global float* x, __global float* y, const long y_length) {  // BasicKernels.java line")
                .contains("for (int i = (int) get_global_id(0); (long) i < y_length; i += (int) get_global_size(0)) {  // line ");
        assertThat(gelu).contains("#pragma OPENCL EXTENSION cl_khr_fp64 : enable").contains("if (false) {");
    }

    @Test
    void rejectsConstantsForArraysAndOfTheWrongType() {
        KernelIr saxpy = KernelIrStore.load(BasicKernels.class, "saxpy");
        assertThatThrownBy(() -> OpenClEmitter.emit(saxpy, Map.of(1, 2f)))
                .hasMessageContaining("parameter 1 is not a scalar parameter");
        assertThatThrownBy(() -> OpenClEmitter.emit(saxpy, Map.of(0, true)))
                .hasMessageContaining("constant true for parameter alpha is not a float");
    }

    @Test
    void reductionInLocalMemoryWithBarriers() {
        requireDevice();
        int groups = 5;
        int n = ContextKernels.GROUP * groups - 20;
        FloatArray in = FloatArray.allocate(n);
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            in.set(i, random.nextFloat());
        }
        FloatArray partial = FloatArray.allocate(groups);
        OpenClSource source = OpenClEmitter.emit(KernelIrStore.load(ContextKernels.class, "reduceSum"), Map.of());

        device.run(source, new Object[] {in, partial, null}, new long[] {(long) ContextKernels.GROUP * groups},
                new long[] {ContextKernels.GROUP});

        assertThat(source.source()).contains("__local float scratch[64];").contains("barrier(CLK_LOCAL_MEM_FENCE);");
        for (int g = 0; g < groups; g++) {
            double sum = 0;
            for (int i = g * ContextKernels.GROUP; i < Math.min(n, (g + 1) * ContextKernels.GROUP); i++) {
                sum += in.get(i);
            }
            assertThat((double) partial.get(g)).as("group " + g).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void contextQueriesMapToTheBuiltIns() {
        requireDevice();
        IntArray out = IntArray.allocate(128 * 4);
        device.run(OpenClEmitter.emit(KernelIrStore.load(ContextKernels.class, "ids"), Map.of()),
                new Object[] {out, null}, new long[] {128}, new long[] {32});

        for (int g = 0; g < 128; g++) {
            assertThat(new int[] {out.get(g * 4L), out.get(g * 4L + 1), out.get(g * 4L + 2), out.get(g * 4L + 3)})
                    .as("work-item " + g).containsExactly(g % 32, g / 32, 128 * 1000 + 32, 4);
        }
    }
}
