package io.tessera.tasks.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.ExecutionProfile;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.GridScheduler;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.KernelCompilationException;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.runtime.backend.Backends;
import io.tessera.tasks.runtime.opencl.OpenClBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same graphs on the JVM, PoCL and rusticl give the same results. */
class CrossDeviceTest {
    private static final int N = 1000;

    @BeforeAll
    static void kernels() {
        TestKernels.register();
    }

    private static float[] pipeline(String device) {
        FloatArray a = TestDevices.random(N, 21);
        FloatArray b = TestDevices.random(N, 22);
        FloatArray c = FloatArray.allocate(N);
        FloatArray d = FloatArray.allocate(N);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("p")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                .task("add", TestKernels::add, a, b, c, N)
                .task("scale", TestKernels::scale, c, d, -2f, N)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, d).snapshot()).withDevice(device)) {
            plan.execute();
        }
        return d.toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"opencl:pocl", "opencl:rusticl"})
    void loopParallelGraphMatchesTheJvm(String device) {
        TestDevices.assumeDevice(device);
        assertThat(pipeline(device)).containsExactly(pipeline("jvm"));
    }

    private static float[] reduce(String device) {
        int groups = 16;
        FloatArray in = TestDevices.random(groups * 64L, 23);
        FloatArray out = FloatArray.allocate(groups);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("r")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("sum", TestKernels::groupSum, TaskGraph.KERNEL_CONTEXT, in, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot())
                .withDevice(device)
                .withGridScheduler(new GridScheduler("r.sum", WorkerGrid.of(groups * 64L).withLocal(64)))) {
            plan.execute();
        }
        return out.toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"opencl:pocl", "opencl:rusticl"})
    void localMemoryBarrierKernelMatchesTheJvm(String device) {
        TestDevices.assumeDevice(device);
        // the tree reduction adds in the same order everywhere, so sums agree exactly
        assertThat(reduce(device)).containsExactly(reduce("jvm"));
    }

    private static int[] ids(String device) {
        IntArray out = IntArray.allocate(12 * 8);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("i")
                .task("ids", TestKernels::ids, TaskGraph.KERNEL_CONTEXT, out, 12)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot())
                .withDevice(device)
                .withGridScheduler(new GridScheduler("i.ids", WorkerGrid.of(12, 8).withLocal(4, 2)))) {
            plan.execute();
        }
        return out.toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"opencl:pocl", "opencl:rusticl"})
    void twoDimensionalIdsMatchTheJvm(String device) {
        TestDevices.assumeDevice(device);
        assertThat(ids(device)).containsExactly(ids("jvm"));
    }

    @Test
    void tasksOfOneGraphOnDifferentDevicesMoveDataThroughTheHost() {
        TestDevices.assumeDevice("opencl:pocl");
        FloatArray a = TestDevices.random(N, 31);
        FloatArray b = TestDevices.random(N, 32);
        FloatArray c = TestDevices.unaligned(N);
        FloatArray d = FloatArray.allocate(N);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("m")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("add", TestKernels::add, a, b, c, N)
                .task("scale", TestKernels::scale, c, d, 2f, N)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, d).snapshot())
                .withDevice("opencl:pocl")
                .withDevice("m.scale", Device.jvm())
                .withProfiler()) {
            ExecutionProfile p = plan.execute().profile().orElseThrow();
            assertThat(p.task("m.add")).get().extracting("device").isEqualTo("opencl:0");
            assertThat(p.task("m.scale")).get().extracting("device").isEqualTo("jvm");
            assertThat(p.copyOut().bytes()).as("c came back from PoCL for the JVM task").isGreaterThanOrEqualTo(N * 4L);
        }
        for (int i = 0; i < N; i++) {
            assertThat(d.get(i)).isEqualTo((a.get(i) + b.get(i)) * 2f);
        }
    }

    @Test
    void arraysOnlyReadStayCurrentOnEveryDeviceThatReadThem() {
        TestDevices.assumeDevice("opencl:pocl");
        FloatArray a = TestDevices.unaligned(N);
        a.fill(3f);
        FloatArray onPocl = FloatArray.allocate(N);
        FloatArray onJvm = FloatArray.allocate(N);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("r")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, a)
                .task("p", EmittedKernels::saxpy, 1f, a, onPocl, N)
                .task("j", EmittedKernels::helperWrites, a, onJvm, N)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, onPocl, onJvm).snapshot())
                .withDevice("opencl:pocl").withDevice("r.j", Device.jvm()).withProfiler()) {
            ExecutionProfile first = plan.execute().profile().orElseThrow();
            assertThat(first.copyIn().bytes()).as("a copied to PoCL once, the JVM reads the host").isEqualTo(N * 4L);
            ExecutionProfile second = plan.execute().profile().orElseThrow();
            assertThat(second.copyIn().count()).as("a is still current on both devices").isZero();
        }
        assertThat(onPocl.get(0)).isEqualTo(6f);
        assertThat(onJvm.get(N - 1)).isEqualTo(6f);
    }

    @Test
    void buildFailureCarriesTheDriversLogAndNamesKernelAndDevice() {
        TestDevices.assumeDevice("opencl:pocl");
        FloatArray x = FloatArray.allocate(4);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("b").task("broken", TestKernels::broken, x).snapshot())
                .withDevice("opencl:pocl")) {
            assertThatThrownBy(plan::execute).isInstanceOf(KernelCompilationException.class)
                    .hasMessageContaining("kernel io.tessera.tasks.runtime.TestKernels::broken of task b.broken failed "
                            + "to build for opencl:0")
                    .hasMessageContaining("undeclared_variable")
                    .satisfies(e -> assertThat(((KernelCompilationException) e).buildLog()).isNotBlank());
        }
    }

    @Test
    void kernelWithoutIrCannotRunOnOpenClButRunsOnTheJvm() {
        TestDevices.assumeDevice("opencl:pocl");
        var kernel = PlainCompiler.kernel("NoIr", """
                import io.tessera.tasks.api.*;
                public class NoIr {
                    @Kernel
                    public static void fill(FloatArray x) {
                        for (int i = 0; i < x.length(); i++) {
                            x.set(i, 7f);
                        }
                    }
                }
                """, "fill");
        FloatArray x = FloatArray.allocate(4);
        var graph = new TaskGraph("n").task("k", kernel, x).transferToHost(DataTransferMode.EVERY_EXECUTION, x).snapshot();
        try (ExecutionPlan plan = new ExecutionPlan(graph).withDevice("opencl:pocl")) {
            assertThatThrownBy(plan::execute).isInstanceOf(TaskExecutionException.class)
                    .hasMessageContaining("task n.k cannot run on opencl:0")
                    .hasMessageContaining("kernel NoIr.fill has no IR: was its module compiled with -Xplugin:TesseraKernels?");
        }
        try (ExecutionPlan plan = new ExecutionPlan(graph)) {
            plan.execute();
        }
        assertThat(x.toArray()).containsOnly(7f);
    }

    @Test
    void programsAreCachedPerDevice() {
        TestDevices.assumeDevice("opencl:pocl");
        pipeline("opencl:pocl");
        int programs = ((OpenClBackend) Backends.of(Device.select("opencl:pocl").selector())).cachedPrograms();
        FloatArray a = TestDevices.random(N, 41);
        FloatArray c = FloatArray.allocate(N);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("again").task("add", TestKernels::add, a, a, c, N)
                .snapshot()).withDevice("opencl:pocl").withProfiler()) {
            assertThat(plan.execute().profile().orElseThrow().compileNanos()).isZero();
        }
        assertThat(((OpenClBackend) Backends.of("opencl:0")).cachedPrograms()).isEqualTo(programs);
    }
}
