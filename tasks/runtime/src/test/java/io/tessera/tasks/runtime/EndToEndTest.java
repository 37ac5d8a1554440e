package io.tessera.tasks.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.GridScheduler;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.runtime.backend.Backends;
import io.tessera.tasks.runtime.opencl.OpenClBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kernels compiled by the plugin, emitted by the compiler's back ends and run on every device,
 * against the plain Java method called on the test thread.
 */
class EndToEndTest {
    /** Normalised mean squared error of {@code actual} against {@code expected}. */
    static double nmse(float[] expected, float[] actual) {
        double err = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = expected[i] - actual[i];
            err += d * d;
            ref += (double) expected[i] * expected[i];
        }
        return ref == 0 ? err : err / ref;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void saxpyAndMatMulMatchTheJavaMethods(String device) {
        TestDevices.assumeDevice(device);
        int n = 777;
        FloatArray x = TestDevices.random(n, 51);
        FloatArray y = TestDevices.random(n, 52);
        FloatArray expectedY = FloatArray.of(y.toArray());
        EmittedKernels.saxpy(1.5f, x, expectedY, n);
        int rows = 9;
        int inner = 13;
        int cols = 11;
        FloatArray a = TestDevices.random(rows * inner, 53);
        FloatArray b = TestDevices.random(inner * cols, 54);
        FloatArray c = FloatArray.allocate(rows * cols);
        FloatArray expectedC = FloatArray.allocate(rows * cols);
        EmittedKernels.matMul(a, b, expectedC, rows, inner, cols);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("e")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y, a, b)
                .task("saxpy", EmittedKernels::saxpy, 1.5f, x, y, n)
                .task("matmul", EmittedKernels::matMul, a, b, c, rows, inner, cols)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y, c).snapshot()).withDevice(device)) {
            plan.execute();
        }
        assertThat(nmse(expectedY.toArray(), y.toArray())).isLessThan(1e-12);
        assertThat(nmse(expectedC.toArray(), c.toArray())).isLessThan(1e-10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void halfWeightsHelpersBooleansAndLengths(String device) {
        TestDevices.assumeDevice(device);
        int rows = 5;
        int width = 48;
        FloatArray x = TestDevices.random((long) rows * width, 61);
        HalfArray w = HalfArray.allocate(width);
        for (int i = 0; i < width; i++) {
            w.set(i, 0.01f * i - 0.2f);
        }
        FloatArray out = FloatArray.allocate((long) rows * width);
        FloatArray expected = FloatArray.allocate((long) rows * width);
        EmittedKernels.rmsNormRows(x, w, expected, rows, true);
        IntArray values = IntArray.of(-7, 3, 12, 0, 25, -1, 9, 100);
        IntArray buckets = IntArray.allocate(values.length());
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("h")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x, w, values)
                .task("norm", EmittedKernels::rmsNormRows, x, w, out, rows, true)
                .task("hist", EmittedKernels::histogramIndex, values, buckets, 4)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, buckets).snapshot()).withDevice(device)) {
            plan.execute();
        }
        assertThat(nmse(expected.toArray(), out.toArray())).isLessThan(1e-10);
        assertThat(buckets.toArray()).containsExactly(3, 3, 0, 0, 1, 1, 1, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void localMemoryReductionMatchesAcrossDevices(String device) {
        TestDevices.assumeDevice(device);
        int groups = 12;
        FloatArray in = TestDevices.random(groups * 32L, 71);
        FloatArray out = FloatArray.allocate(groups);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("m")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("max", EmittedKernels::groupMax, TaskGraph.KERNEL_CONTEXT, in, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot()).withDevice(device)
                .withGridScheduler(new GridScheduler("m.max", WorkerGrid.of(groups * 32L).withLocal(32)))) {
            plan.execute();
        }
        for (int g = 0; g < groups; g++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < 32; i++) {
                max = Math.max(max, in.get(g * 32 + i));
            }
            assertThat(out.get(g)).isEqualTo(max);
        }
    }

    @Test
    void constantFoldingBuildsOneProgramPerValue() {
        TestDevices.assumeDevice("opencl:pocl");
        OpenClBackend pocl = (OpenClBackend) Backends.of("opencl:0");
        float alpha = new SplittableRandom().nextInt(1000, 2000) / 7f; // a value no other run has folded
        FloatArray x = TestDevices.random(64, 81);
        FloatArray y = FloatArray.allocate(64);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("f")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("saxpy", EmittedKernels::saxpy, alpha, x, y, 64)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot())
                .withDevice("opencl:pocl").withConstantFolding("f.saxpy")) {
            int before = pocl.cachedPrograms();
            plan.execute();
            assertThat(pocl.cachedPrograms()).isEqualTo(before + 1);
            plan.execute();
            assertThat(pocl.cachedPrograms()).isEqualTo(before + 1);
        }
        assertThat(y.get(10)).isEqualTo(alpha * x.get(10) + alpha * x.get(10), org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void anyGridGivesTheSameResultForLoopParallelKernels() {
        TestDevices.assumeDevice("opencl:pocl");
        int n = 1000;
        FloatArray x = TestDevices.random(n, 91);
        FloatArray y = FloatArray.allocate(n);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("saxpy", EmittedKernels::saxpy, 2f, x, y, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot())
                .withDevice("opencl:pocl")
                .withGridScheduler(new GridScheduler("g.saxpy", WorkerGrid.of(48).withLocal(16)))) {
            plan.execute();
        }
        for (int i = 0; i < n; i++) {
            assertThat(y.get(i)).isEqualTo(2f * x.get(i));
        }
    }

    @Test
    void launchFailureNamesTaskDeviceAndGrid() {
        TestDevices.assumeDevice("opencl:pocl");
        int tooLarge = Math.multiplyExact(io.tessera.tasks.runtime.device.Devices.select("opencl:pocl").maxWorkGroupSize(), 2);
        FloatArray x = FloatArray.allocate(tooLarge);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                .task("saxpy", EmittedKernels::saxpy, 2f, x, x, tooLarge).snapshot())
                .withDevice("opencl:pocl")
                .withGridScheduler(new GridScheduler("g.saxpy", WorkerGrid.of(tooLarge).withLocal(tooLarge)))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(plan::execute)
                    .isInstanceOf(io.tessera.tasks.api.TaskExecutionException.class)
                    .hasMessageContaining("task g.saxpy (kernel io.tessera.tasks.runtime.EmittedKernels::saxpy) could "
                            + "not be launched on opencl:0: CL_INVALID_WORK_GROUP_SIZE")
                    .hasMessageContaining("local [" + tooLarge + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void everyLaunchHasAPositiveKernelTimeAndSaysWhichClock(String device) {
        TestDevices.assumeDevice(device);
        int n = 4096;
        FloatArray x = TestDevices.random(n, 95);
        FloatArray y = FloatArray.allocate(n);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("t")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("saxpy", EmittedKernels::saxpy, 2f, x, y, n).snapshot())
                .withDevice(device).withProfiler()) {
            var task = plan.execute().profile().orElseThrow().task("t.saxpy").orElseThrow();
            assertThat(task.kernelNanos()).isPositive();
            if (device.equals("opencl:pocl")) {
                assertThat(task.deviceClock()).as("PoCL implements event profiling").isTrue();
                assertThat(task.waitNanos()).isNotNegative();
            }
            if (device.equals("jvm")) {
                assertThat(task.deviceClock()).isFalse();
            }
        }
    }
}
