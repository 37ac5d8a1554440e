package io.tessera.tasks.runtime.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.runtime.EmittedKernels;
import io.tessera.tasks.runtime.TestKernels;
import io.tessera.tasks.runtime.backend.Backends;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which JVM form runs each kind of kernel, and that the sliced forms equal the plain method. */
class JvmFormsTest {
    private static JvmKernel prepare(TaskGraph graph) {
        TaskSpec task = graph.snapshot().tasks().getFirst();
        return (JvmKernel) Backends.of("jvm").prepare(task, Map.of());
    }

    private static FloatArray random(int n, long seed) {
        FloatArray a = FloatArray.allocate(n);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            a.set(i, (float) r.nextDouble(-1, 1));
        }
        return a;
    }

    @Test
    void formsByKindOfKernel() {
        FloatArray x = FloatArray.allocate(8);
        assertThat(prepare(new TaskGraph("a").task("t", EmittedKernels::saxpy, 1f, x, x, 8)))
                .isInstanceOfSatisfying(JvmKernel.Sliced.class, s -> assertThat(s.form()).isEqualTo("generated"));
        assertThat(prepare(new TaskGraph("b").task("t", TestKernels::scale, x, x, 1f, 8)))
                .isInstanceOfSatisfying(JvmKernel.Sliced.class, s -> assertThat(s.form()).isEqualTo("scaleSlices"));
        assertThat(prepare(new TaskGraph("c").task("t", EmittedKernels::groupMax, TaskGraph.KERNEL_CONTEXT, x, x)))
                .isInstanceOfSatisfying(JvmKernel.Explicit.class, e -> assertThat(e.barriers()).isTrue());
        assertThat(prepare(new TaskGraph("d").task("t", TestKernels::ids, TaskGraph.KERNEL_CONTEXT,
                io.tessera.tasks.api.IntArray.allocate(4), 2)))
                .isInstanceOfSatisfying(JvmKernel.Explicit.class, e -> assertThat(e.barriers()).isFalse());
    }

    @Test
    void generatedTwoDimensionalFormInSlicesEqualsTheMethod() {
        int rows = 67;
        int inner = 31;
        int cols = 29;
        FloatArray a = random(rows * inner, 1);
        FloatArray b = random(inner * cols, 2);
        FloatArray c = FloatArray.allocate(rows * cols);
        FloatArray expected = FloatArray.allocate(rows * cols);
        EmittedKernels.matMul(a, b, expected, rows, inner, cols);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("m")
                .task("mm", EmittedKernels::matMul, a, b, c, rows, inner, cols)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c).snapshot())) {
            plan.execute();
        }
        assertThat(c.toArray()).containsExactly(expected.toArray());
    }
}
