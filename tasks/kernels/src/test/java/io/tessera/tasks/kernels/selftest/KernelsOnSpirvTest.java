package io.tessera.tasks.kernels.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tessera.tasks.api.Device;

/**
 * Every kernel of the library, at every shape of its case, through the SPIR-V back end against the
 * kernel's plain Java body: on {@code spirv:0} where a driver ingests SPIR-V, and on
 * {@code spirv:pocl}, where PoCL runs our modules after {@code llvm-spirv -r} turned them into SPIR 1.2.
 * Skipped, with discovery's reason, where the device is absent.
 */
class KernelsOnSpirvTest {

    @ParameterizedTest
    @ValueSource(strings = {"spirv:0", "spirv:pocl"})
    void everyKernelMatchesItsReferenceThroughSpirv(String selector) {
        Device device;
        try {
            device = Device.select(selector);
        } catch (IllegalArgumentException absent) {
            Assumptions.abort("no device " + selector + ": " + absent.getMessage());
            return;
        }
        List<SelfTest.Result> results = SelfTest.run(KernelCases.all(), List.of(device), r -> { });
        System.out.printf("%s (%s): %d of %d checks of %d kernels passed%n", selector, device.name(),
                results.stream().filter(SelfTest.Result::passed).count(), results.size(), KernelCases.all().size());
        assertThat(results).isNotEmpty();
        assertThat(results.stream().filter(r -> !r.passed()).map(Object::toString).toList())
                .as("failed checks on " + selector).isEmpty();
    }
}
