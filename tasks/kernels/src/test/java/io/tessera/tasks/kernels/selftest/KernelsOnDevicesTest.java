package io.tessera.tasks.kernels.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tessera.tasks.api.Device;
import io.tessera.tasks.kernels.KernelLibrary;

/**
 * Every kernel of the library, at every shape of its case, on the JVM backend and on each CPU
 * OpenCL platform of this machine, against the kernel's plain Java body.
 */
class KernelsOnDevicesTest {

    @Test
    void everyKernelHasACase() {
        Set<Method> covered = KernelCases.all().stream().map(KernelCase::kernel).collect(Collectors.toSet());
        assertThat(KernelLibrary.kernels()).allSatisfy(k -> assertThat(covered).as(KernelLibrary.name(k)).contains(k));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void everyKernelMatchesItsReference(String selector) {
        Device device = available(selector);
        Assumptions.assumeTrue(device != null, "no device " + selector + " on this machine");
        List<SelfTest.Result> results = SelfTest.run(KernelCases.all(), List.of(device), r -> { });
        assertThat(results).isNotEmpty();
        assertThat(results.stream().filter(r -> !r.passed()).map(Object::toString).toList())
                .as("failed checks on " + selector).isEmpty();
    }

    private static Device available(String selector) {
        try {
            return Device.select(selector);
        } catch (IllegalArgumentException absent) {
            return null;
        }
    }
}
