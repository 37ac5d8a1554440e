package io.tessera.tasks.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.GridScheduler;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.runtime.backend.Backends;
import io.tessera.tasks.runtime.cuda.CudaBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The runtime's device checks on {@code cuda:0}: the same plans as on the other devices (the
 * end-to-end, transfer-mode and persisted-buffer tests), plus what only CUDA has. Skipped, with
 * discovery's reason, where there is no NVIDIA driver and device.
 */
@Tag("gpu")
class CudaBackendGpuTest {
    private static final String CUDA = "cuda:0";

    @BeforeEach
    void needsCuda() {
        TestDevices.assumeDevice(CUDA);
        TestKernels.register();
    }

    @Test
    void endToEndPlansMatchTheJavaMethods() {
        EndToEndTest e = new EndToEndTest();
        e.saxpyAndMatMulMatchTheJavaMethods(CUDA);
        e.halfWeightsHelpersBooleansAndLengths(CUDA);
        e.localMemoryReductionMatchesAcrossDevices(CUDA);
        e.doublePrecisionRunsWhereSupportedAndIsAnErrorElsewhere(CUDA);
        e.everyLaunchHasAPositiveKernelTimeAndSaysWhichClock(CUDA);
    }

    @Test
    void transfersAndPersistedBuffersBehaveAsOnOpenCl() {
        new TransferModesTest().firstExecutionCopiesInOnce(CUDA);
        PersistedBuffersTest p = new PersistedBuffersTest();
        p.bufferOutlivesItsPlanAndIsConsumedWithoutCopy(CUDA);
        p.graphsOfOnePlanShareBuffers(CUDA);
        p.releasedBuffersCannotBeConsumed(CUDA);
        p.consumingWhatNoGraphLeftIsAnError(CUDA);
    }

    @Test
    void eventsTimeTheKernelOnTheDevice() {
        int n = 1 << 20;
        FloatArray x = TestDevices.random(n, 5);
        FloatArray y = FloatArray.allocate(n);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("t")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("saxpy", EmittedKernels::saxpy, 2f, x, y, n).snapshot()).withDevice(CUDA).withProfiler()) {
            var task = plan.execute().profile().orElseThrow().task("t.saxpy").orElseThrow();
            assertThat(task.deviceClock()).isTrue();
            assertThat(task.kernelNanos()).isPositive();
        }
    }

    @Test
    void oneModulePerSpecialisation() {
        CudaBackend cuda = (CudaBackend) Backends.of(CUDA);
        float alpha = new SplittableRandom().nextInt(1000, 2000) / 7f;
        FloatArray x = TestDevices.random(64, 81);
        FloatArray y = FloatArray.allocate(64);
        int before = cuda.cachedModules();
        for (int run = 0; run < 2; run++) {
            try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("f")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                    .task("saxpy", EmittedKernels::saxpy, alpha, x, y, 64)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot()).withDevice(CUDA)
                    .withConstantFolding("f.saxpy")) {
                plan.execute();
            }
        }
        assertThat(cuda.cachedModules()).as("one module for the folded value, loaded once").isEqualTo(before + 1);
        assertThat(y.get(3)).isEqualTo(2 * alpha * x.get(3));
    }

    @Test
    void aLocalSizeBeyondTheDeviceIsAnErrorNamingKernelAndDevice() {
        FloatArray in = TestDevices.random(4096, 1);
        FloatArray out = FloatArray.allocate(1);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("m")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("max", EmittedKernels::groupMax, TaskGraph.KERNEL_CONTEXT, in, out).snapshot()).withDevice(CUDA)
                .withGridScheduler(new GridScheduler("m.max", WorkerGrid.of(4096).withLocal(4096)))) {
            assertThatThrownBy(plan::execute).isInstanceOf(TaskExecutionException.class)
                    .hasMessageContaining("kernel io.tessera.tasks.runtime.EmittedKernels::groupMax (EmittedKernels.java:")
                    .hasMessageContaining("cannot be launched on cuda:0")
                    .hasMessageContaining("threads per block");
        }
    }
}
