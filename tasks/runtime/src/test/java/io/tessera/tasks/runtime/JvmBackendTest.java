package io.tessera.tasks.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.ExecutionProfile;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.GridScheduler;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.runtime.jvm.WorkerPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JvmBackendTest {
    @BeforeAll
    static void kernels() {
        TestKernels.register();
    }

    @Test
    void vectorisedFormRunsInSlicesAndEqualsTheSingleThreadedKernel() {
        int n = 10_007;
        FloatArray x = TestDevices.random(n, 1);
        FloatArray y = FloatArray.allocate(n);
        FloatArray expected = FloatArray.allocate(n);
        TestKernels.scale(x, expected, 0.5f, n);
        TestKernels.SCALE_SLICES.clear();
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("scale", TestKernels::scale, x, y, 0.5f, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot())) {
            plan.execute();
        }
        assertThat(y.toArray()).containsExactly(expected.toArray());
        int slices = (int) Math.min(n, WorkerPool.shared().size() * 4L);
        assertThat(TestKernels.SCALE_SLICES).hasSize(slices).contains("0:" + (n / slices));
        long covered = TestKernels.SCALE_SLICES.stream().mapToLong(s -> {
            String[] p = s.split(":");
            return Long.parseLong(p[1]) - Long.parseLong(p[0]);
        }).sum();
        assertThat(covered).isEqualTo(n);
    }

    @Test
    void kernelWithoutJvmFormRunsTheMethod() {
        FloatArray a = TestDevices.random(100, 2);
        FloatArray b = TestDevices.random(100, 3);
        FloatArray c = FloatArray.allocate(100);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g").task("add", TestKernels::add, a, b, c, 100)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c).snapshot())) {
            plan.execute();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(c.get(i)).isEqualTo(a.get(i) + b.get(i));
        }
    }

    @Test
    void localMemoryAndBarriersReduceEachGroup() {
        int groups = 8;
        int local = 64;
        FloatArray in = TestDevices.random((long) groups * local, 4);
        FloatArray out = FloatArray.allocate(groups);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("r")
                .task("sum", TestKernels::groupSum, TaskGraph.KERNEL_CONTEXT, in, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot())
                .withGridScheduler(new GridScheduler("r.sum", WorkerGrid.of(groups * local).withLocal(local)))) {
            plan.execute();
        }
        for (int g = 0; g < groups; g++) {
            double sum = 0;
            for (int i = 0; i < local; i++) {
                sum += in.get(g * local + i);
            }
            assertThat((double) out.get(g)).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void contextIdsCoverTwoDimensionalGrid() {
        int w = 8;
        int h = 6;
        IntArray out = IntArray.allocate(w * h);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("i")
                .task("ids", TestKernels::ids, TaskGraph.KERNEL_CONTEXT, out, w).snapshot())
                .withGridScheduler(new GridScheduler("i.ids", WorkerGrid.of(w, h).withLocal(4, 3)))) {
            plan.execute();
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int expected = (x / 4) * 1_000_000 + (y / 3) * 10_000 + (x % 4) * 100 + (y % 3);
                assertThat(out.get(y * w + x)).as("item %d,%d", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void contextKernelWithoutGridIsAnErrorNamingTheTask() {
        IntArray out = IntArray.allocate(4);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("i")
                .task("ids", TestKernels::ids, TaskGraph.KERNEL_CONTEXT, out, 2).snapshot())) {
            assertThatThrownBy(plan::execute).isInstanceOf(TaskExecutionException.class)
                    .hasMessageContaining("task i.ids takes a KernelContext and needs a WorkerGrid");
        }
    }

    @Test
    void kernelFailureNamesTaskKernelAndDevice() {
        FloatArray x = FloatArray.allocate(4);
        FloatArray y = FloatArray.allocate(4);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g").task("s", TestKernels::scale, x, y, 1f, 9).snapshot())) {
            assertThatThrownBy(plan::execute).isInstanceOf(TaskExecutionException.class)
                    .hasMessageContaining("task g.s (kernel io.tessera.tasks.runtime.TestKernels::scale")
                    .hasMessageContaining("failed on jvm")
                    .hasMessageContaining("IndexOutOfBounds");
        }
    }

    @Test
    void profilerReportsTasksAndCopiesAsTableAndJson() {
        FloatArray x = TestDevices.random(64, 5);
        FloatArray y = FloatArray.allocate(64);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("p")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("scale", TestKernels::scale, x, y, 2f, 64)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot()).withProfiler()) {
            ExecutionProfile profile = plan.execute().profile().orElseThrow();
            assertThat(profile.task("p.scale")).get().satisfies(t -> {
                assertThat(t.device()).isEqualTo("jvm");
                assertThat(t.kernelNanos()).isPositive();
            });
            assertThat(profile.copyIn().count()).isEqualTo(1);
            assertThat(profile.copyIn().bytes()).as("the JVM works on host memory").isZero();
            assertThat(profile.table()).contains("p.scale").contains("in count");
            assertThat(profile.toJson()).startsWith("{\"graphs\":[{\"graph\":\"p\"")
                    .contains("\"task\":\"p.scale\",\"device\":\"jvm\"")
                    .contains("\"copyIn\":{\"count\":1,\"bytes\":0");
            plan.withoutProfiler();
            assertThat(plan.execute().profile()).isEmpty();
        }
    }
}
