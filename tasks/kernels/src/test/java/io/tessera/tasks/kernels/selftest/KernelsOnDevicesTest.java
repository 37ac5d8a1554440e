package io.tessera.tasks.kernels.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tessera.tasks.api.Device;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import io.tessera.tasks.compiler.opencl.OpenClEmitter;
import io.tessera.tasks.kernels.KernelLibrary;
import io.tessera.tasks.runtime.device.Devices;

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

    /**
     * On a device without fp64 (Mesa rusticl) the kernels that compute in double must be refused
     * with the runtime's clear error rather than run; every other kernel must pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void everyKernelMatchesItsReference(String selector) {
        Device device = available(selector);
        Assumptions.assumeTrue(device != null, "no device " + selector + " on this machine");
        boolean fp64 = Devices.select(selector).fp64();
        List<SelfTest.Result> results = SelfTest.run(KernelCases.all(), List.of(device), r -> { });
        assertThat(results).isNotEmpty();
        Set<String> doubles = KernelCases.all().stream().filter(c -> usesDouble(c.kernel())).map(KernelCase::name)
                .collect(Collectors.toSet());
        assertThat(results.stream().filter(r -> fp64 || !doubles.contains(r.kernel()))
                .filter(r -> !r.passed()).map(Object::toString).toList())
                .as("failed checks on " + selector).isEmpty();
        assertThat(results.stream().filter(r -> !fp64 && doubles.contains(r.kernel()))
                .filter(r -> r.unsupported() == null || !r.unsupported().contains("uses double precision (cl_khr_fp64)"))
                .map(Object::toString).toList())
                .as("double-precision kernels on " + selector + ", which has no fp64").isEmpty();
    }

    private static boolean usesDouble(Method kernel) {
        return OpenClEmitter.emit(KernelIrStore.load(kernel), Map.of()).source().contains("cl_khr_fp64");
    }

    private static Device available(String selector) {
        try {
            return Device.select(selector);
        } catch (IllegalArgumentException absent) {
            return null;
        }
    }
}
