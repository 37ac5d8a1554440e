package io.tessera.tasks.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.ExecutionProfile;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.runtime.backend.Backends;
import io.tessera.tasks.runtime.kernel.HandwrittenKernel;
import io.tessera.tasks.runtime.kernel.KernelModels;
import io.tessera.tasks.runtime.opencl.OpenClBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Warm-up compiles before the first execution, so that the execution's profile has no compile time. */
class WarmUpTest {
    @AfterEach
    void restore() {
        TestKernels.register();
    }

    @Test
    void warmUpBuildsTheProgramBeforeTheFirstExecution() {
        TestDevices.assumeDevice("opencl:pocl");
        // a source no other test builds, so the program cache cannot already hold it
        String source = "// warm-up " + System.nanoTime() + """

                __kernel void increment(__global float* x, int n) {
                    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
                        x[i] = x[i] + 1.0f;
                    }
                }
                """;
        KernelModels.registerHandwritten(new HandwrittenKernel(TestKernels.method("increment"), "increment", source,
                false, args -> new long[] {(Integer) args[1]}));
        OpenClBackend pocl = (OpenClBackend) Backends.of("opencl:0");
        int before = pocl.cachedPrograms();
        FloatArray x = FloatArray.allocate(32);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("w")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("inc", TestKernels::increment, x, 32)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, x).snapshot())
                .withDevice("opencl:pocl").withProfiler().withWarmUp()) {
            assertThat(pocl.cachedPrograms()).isEqualTo(before + 1);
            ExecutionProfile p = plan.execute().profile().orElseThrow();
            assertThat(p.compileNanos()).isZero();
            assertThat(p.kernelNanos()).isPositive();
        }
        assertThat(x.get(31)).isEqualTo(1f);
    }

    @Test
    void firstExecutionWithoutWarmUpReportsCompileTime() {
        TestDevices.assumeDevice("opencl:pocl");
        String source = "// cold " + System.nanoTime() + """

                __kernel void increment(__global float* x, int n) {
                    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
                        x[i] = x[i] + 1.0f;
                    }
                }
                """;
        KernelModels.registerHandwritten(new HandwrittenKernel(TestKernels.method("increment"), "increment", source,
                false, args -> new long[] {(Integer) args[1]}));
        FloatArray x = FloatArray.allocate(32);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("c")
                .task("inc", TestKernels::increment, x, 32).snapshot()).withDevice("opencl:pocl").withProfiler()) {
            assertThat(plan.execute().profile().orElseThrow().compileNanos()).isPositive();
            assertThat(plan.execute().profile().orElseThrow().compileNanos()).isZero();
        }
    }
}
