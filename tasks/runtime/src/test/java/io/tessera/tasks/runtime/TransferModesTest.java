package io.tessera.tasks.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.ExecutionProfile;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TaskGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data-transfer modes, observed through the profile (transfer counts and copied bytes) and through
 * the data: on an OpenCL device with a copied (not host-backed) buffer, a host change that is not
 * transferred must not reach the kernel.
 */
class TransferModesTest {
    private static final int N = 256;

    @BeforeAll
    static void kernels() {
        TestKernels.register();
    }

    private static ExecutionPlan incrementPlan(FloatArray x, DataTransferMode in, DataTransferMode out, String device) {
        return new ExecutionPlan(new TaskGraph("t")
                .transferToDevice(in, x)
                .task("inc", TestKernels::increment, x, N)
                .transferToHost(out, x).snapshot()).withDevice(device).withProfiler();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "spirv:pocl"})
    void firstExecutionCopiesInOnce(String device) {
        TestDevices.assumeDevice(device);
        FloatArray x = device.equals("jvm") ? FloatArray.allocate(N) : TestDevices.unaligned(N);
        try (ExecutionPlan plan = incrementPlan(x, DataTransferMode.FIRST_EXECUTION, DataTransferMode.EVERY_EXECUTION, device)) {
            ExecutionProfile first = plan.execute().profile().orElseThrow();
            ExecutionProfile second = plan.execute().profile().orElseThrow();
            assertThat(first.copyIn().count()).isEqualTo(1);
            assertThat(second.copyIn().count()).isZero();
            assertThat(second.copyOut().count()).isEqualTo(1);
            if (!device.equals("jvm")) {
                assertThat(first.copyIn().bytes()).isEqualTo(N * 4L);
                assertThat(second.copyOut().bytes()).isEqualTo(N * 4L);
            }
        }
        assertThat(x.get(0)).isEqualTo(2f);
        assertThat(x.get(N - 1)).isEqualTo(2f);
    }

    @Test
    void everyExecutionCopiesInEachTime() {
        TestDevices.assumeDevice("opencl:pocl");
        FloatArray x = TestDevices.unaligned(N);
        try (ExecutionPlan plan = incrementPlan(x, DataTransferMode.EVERY_EXECUTION, DataTransferMode.EVERY_EXECUTION, "opencl:pocl")) {
            for (int run = 0; run < 3; run++) {
                x.fill(10f * run);
                ExecutionProfile p = plan.execute().profile().orElseThrow();
                assertThat(p.copyIn()).extracting("count", "bytes").containsExactly(1, N * 4L);
                assertThat(x.get(7)).isEqualTo(10f * run + 1f);
            }
        }
    }

    @Test
    void firstExecutionIgnoresLaterHostChanges() {
        TestDevices.assumeDevice("opencl:pocl");
        FloatArray x = TestDevices.unaligned(N);
        try (ExecutionPlan plan = incrementPlan(x, DataTransferMode.FIRST_EXECUTION, DataTransferMode.EVERY_EXECUTION, "opencl:pocl")) {
            plan.execute();
            x.fill(100f);
            plan.execute();
            assertThat(x.get(3)).as("the device copy, incremented twice").isEqualTo(2f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "spirv:pocl"})
    void underDemandCopiesOnlyWhenAsked(String device) {
        TestDevices.assumeDevice(device);
        FloatArray x = device.equals("jvm") ? FloatArray.allocate(N) : TestDevices.unaligned(N);
        x.fill(5f);
        try (ExecutionPlan plan = incrementPlan(x, DataTransferMode.UNDER_DEMAND, DataTransferMode.UNDER_DEMAND, device)) {
            assertThat(plan.transferToDevice(x).count()).isEqualTo(1);
            var result = plan.execute();
            ExecutionProfile p = result.profile().orElseThrow();
            assertThat(p.copyIn().count()).isZero();
            assertThat(p.copyOut().count()).isZero();
            if (!device.equals("jvm")) {
                assertThat(x.get(0)).as("not copied back yet").isEqualTo(5f);
            }
            assertThat(result.transferToHost(x).count()).isEqualTo(1);
            assertThat(x.get(0)).isEqualTo(6f);
            assertThat(result.transferToHost(x).count()).as("the host copy is already current").isZero();
        }
    }

    @Test
    void hostBackedBuffersMoveNoBytesOnCpuDevices() {
        TestDevices.assumeDevice("opencl:pocl");
        FloatArray x = TestDevices.aligned(N);
        try (ExecutionPlan plan = incrementPlan(x, DataTransferMode.EVERY_EXECUTION, DataTransferMode.EVERY_EXECUTION, "opencl:pocl")) {
            ExecutionProfile p = plan.execute().profile().orElseThrow();
            assertThat(p.copyIn()).extracting("count", "bytes").containsExactly(1, 0L);
            assertThat(p.copyOut()).extracting("count", "bytes").containsExactly(1, 0L);
        }
        assertThat(x.get(N / 2)).isEqualTo(1f);
    }
}
