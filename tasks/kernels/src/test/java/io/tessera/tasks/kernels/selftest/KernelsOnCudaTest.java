package io.tessera.tasks.kernels.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.tessera.tasks.api.Device;

/**
 * Every kernel of the library, at every shape of its case, on {@code cuda:0} (PTX through the CUDA
 * driver) against the kernel's plain Java body; the same checks as {@code tessera selftest --backend
 * cuda:0}. Skipped, with discovery's reason, where there is no NVIDIA driver and device.
 */
@Tag("gpu")
class KernelsOnCudaTest {

    @Test
    void everyKernelMatchesItsReferenceOnCuda() {
        Device cuda;
        try {
            cuda = Device.select("cuda:0");
        } catch (IllegalArgumentException absent) {
            Assumptions.abort("no CUDA device: " + absent.getMessage());
            return;
        }
        List<SelfTest.Result> results = SelfTest.run(KernelCases.all(), List.of(cuda), r -> { });
        long passed = results.stream().filter(SelfTest.Result::passed).count();
        System.out.printf("cuda:0 (%s): %d of %d checks of %d kernels passed%n", cuda.name(), passed, results.size(),
                KernelCases.all().size());
        assertThat(results).isNotEmpty();
        assertThat(results.stream().filter(r -> !r.passed()).map(Object::toString).toList())
                .as("failed checks on cuda:0").isEmpty();
    }
}
