package io.tessera.tasks.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.ExecutionProfile;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A buffer one graph leaves on the device is used by the next graph without a copy. */
class PersistedBuffersTest {
    private static final int N = 128;

    @BeforeAll
    static void kernels() {
        TestKernels.register();
    }

    private static ImmutableTaskGraph producer(FloatArray a, FloatArray b, FloatArray sum) {
        return new TaskGraph("produce")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                .task("add", TestKernels::add, a, b, sum, N)
                .persistOnDevice(sum).snapshot();
    }

    private static ImmutableTaskGraph consumer(FloatArray sum, FloatArray scaled) {
        return new TaskGraph("consume")
                .consumeFromDevice(sum)
                .task("scale", TestKernels::scale, sum, scaled, 3f, N)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, scaled).snapshot();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void bufferOutlivesItsPlanAndIsConsumedWithoutCopy(String device) {
        TestDevices.assumeDevice(device);
        FloatArray a = TestDevices.random(N, 11);
        FloatArray b = TestDevices.random(N, 12);
        FloatArray sum = TestDevices.unaligned(N);
        FloatArray scaled = FloatArray.allocate(N);
        try (ExecutionPlan first = new ExecutionPlan(producer(a, b, sum)).withDevice(device).withProfiler()) {
            ExecutionProfile p = first.execute().profile().orElseThrow();
            assertThat(p.copyOut().count()).isZero();
        }
        if (!device.equals("jvm")) {
            assertThat(sum.get(0)).as("never copied to the host").isZero();
        }
        try (ExecutionPlan second = new ExecutionPlan(consumer(sum, scaled)).withDevice(device).withProfiler()) {
            ExecutionProfile p = second.execute().profile().orElseThrow();
            assertThat(p.copyIn().count()).as("consumed, not copied").isZero();
            assertThat(p.copyOut().count()).isEqualTo(1);
        }
        for (int i = 0; i < N; i++) {
            assertThat(scaled.get(i)).isEqualTo((a.get(i) + b.get(i)) * 3f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl"})
    void graphsOfOnePlanShareBuffers(String device) {
        TestDevices.assumeDevice(device);
        FloatArray a = TestDevices.random(N, 13);
        FloatArray b = TestDevices.random(N, 14);
        FloatArray sum = FloatArray.allocate(N);
        FloatArray scaled = FloatArray.allocate(N);
        try (ExecutionPlan plan = new ExecutionPlan(producer(a, b, sum), consumer(sum, scaled)).withDevice(device)
                .withProfiler()) {
            ExecutionProfile p = plan.execute().profile().orElseThrow();
            assertThat(p.graphs()).hasSize(2);
            assertThat(p.graphs().get(1).copyIn().count()).isZero();
            ExecutionProfile again = plan.withGraph("consume").execute().profile().orElseThrow();
            assertThat(again.graphs()).extracting("graph").containsExactly("consume");
        }
        assertThat(scaled.get(5)).isEqualTo((a.get(5) + b.get(5)) * 3f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl"})
    void releasedBuffersCannotBeConsumed(String device) {
        TestDevices.assumeDevice(device);
        FloatArray a = TestDevices.random(N, 15);
        FloatArray sum = FloatArray.allocate(N);
        try (ExecutionPlan plan = new ExecutionPlan(producer(a, TestDevices.random(N, 16), sum)).withDevice(device)) {
            plan.execute();
        }
        assertThat(ExecutionPlan.releasePersisted(sum, a)).as("only sum was persisted").isEqualTo(1);
        assertThat(ExecutionPlan.releasePersisted(sum)).isZero();
        try (ExecutionPlan plan = new ExecutionPlan(consumer(sum, FloatArray.allocate(N))).withDevice(device)) {
            assertThatThrownBy(plan::execute).isInstanceOf(TaskExecutionException.class)
                    .hasMessageContaining("no earlier graph left it there");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl"})
    void consumingWhatNoGraphLeftIsAnError(String device) {
        TestDevices.assumeDevice(device);
        FloatArray orphan = FloatArray.allocate(N);
        try (ExecutionPlan plan = new ExecutionPlan(consumer(orphan, FloatArray.allocate(N))).withDevice(device)) {
            assertThatThrownBy(plan::execute).isInstanceOf(TaskExecutionException.class)
                    .hasMessageContaining("graph consume consumes FloatArray[128] from the device, but no earlier graph "
                            + "left it there");
        }
    }
}
