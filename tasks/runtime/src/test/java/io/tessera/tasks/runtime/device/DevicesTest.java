package io.tessera.tasks.runtime.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void reportsEveryBackendInOrder() {
        assertThat(Devices.discover()).extracting(BackendReport::backend).containsExactly("jvm", "opencl", "cuda", "spirv");
    }

    @Test
    void jvmIsAlwaysAvailableWithTheHostsCores() {
        BackendReport jvm = Devices.discover().getFirst();
        assertThat(jvm.available()).isTrue();
        DeviceInfo d = jvm.devices().getFirst();
        assertThat(d.selector()).isEqualTo("jvm");
        assertThat(d.computeUnits()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(d.name()).contains("Vector API").contains(d.computeUnits() + " cores");
        assertThat(d.targets()).containsExactly("jvm");
        assertThat(Devices.select("jvm")).isEqualTo(d);
    }

    @Test
    void openClDevicesHaveSequentialSelectorsAndPlatformAliases() {
        BackendReport openCl = Devices.discover().get(1);
        assumeTrue(openCl.available(), () -> "OpenCL unavailable: " + openCl.reason());
        List<DeviceInfo> devices = openCl.devices();
        for (int i = 0; i < devices.size(); i++) {
            DeviceInfo d = devices.get(i);
            assertThat(d.selector()).isEqualTo("opencl:" + i);
            assertThat(d.backend()).isEqualTo("opencl");
            assertThat(d.computeUnits()).isPositive();
            assertThat(d.globalMemoryBytes()).isPositive();
            assertThat(d.maxAllocationBytes()).isPositive().isLessThanOrEqualTo(d.globalMemoryBytes());
            assertThat(d.maxWorkGroupSize()).isPositive();
            assertThat(d.targets()).contains("opencl-c");
            assertThat(d.aliases()).anyMatch(a -> a.startsWith("opencl:"));
            for (String alias : d.aliases()) {
                assertThat(Devices.select(alias)).isEqualTo(d);
            }
        }
    }

    @Test
    void poclIsFoundByItsAliasWithDoublePrecision() {
        assumeTrue(Devices.all().stream().anyMatch(d -> d.aliases().contains("opencl:pocl")), "PoCL not installed");
        DeviceInfo pocl = Devices.select("opencl:pocl");
        assertThat(pocl.fp64()).as("PoCL CPU devices report cl_khr_fp64").isTrue();
        assertThat(pocl.localMemoryBytes()).isPositive();
        assertThat(Devices.openCl(pocl)).get().extracting(OpenClDevice::cpu).isEqualTo(true);
    }

    @Test
    void rusticlIsFoundByItsAlias() {
        assumeTrue(Devices.all().stream().anyMatch(d -> d.aliases().contains("opencl:rusticl")),
                "Mesa rusticl has no device here (needs RUSTICL_ENABLE=llvmpipe)");
        assertThat(Devices.select("opencl:rusticl").vendor()).containsIgnoringCase("mesa");
    }

    @Test
    void cudaIsUnavailableWithoutTheDriverLibrary() {
        assumeTrue(noDriverLibrary(), "an NVIDIA driver is installed here");
        BackendReport cuda = Devices.discover().get(2);
        assertThat(cuda.available()).isFalse();
        assertThat(cuda.reason()).isEqualTo("libcuda.so.1 not found (no NVIDIA driver)");
        assertThatThrownBy(() -> Devices.select("cuda:0")).isInstanceOf(UnknownDeviceException.class)
                .hasMessageContaining("backend cuda is unavailable: libcuda.so.1 not found");
    }

    @Test
    void spirvIsUnavailableWhenNoDeviceIngestsIl() {
        assumeTrue(Devices.all().stream().noneMatch(DeviceInfo::spirvIngestion), "a device here accepts SPIR-V");
        BackendReport spirv = Devices.discover().get(3);
        assertThat(spirv.available()).isFalse();
        assertThat(spirv.reason()).containsAnyOf("SPIR-V IL", "OpenCL is unavailable");
    }

    @Test
    void unknownSelectorListsTheValidOnes() {
        assertThatThrownBy(() -> Devices.select("opencl:99")).isInstanceOf(UnknownDeviceException.class)
                .hasMessageContaining("no device 'opencl:99'").hasMessageContaining("valid selectors: jvm");
    }

    @Test
    void platformShortNames() {
        assertThat(PlatformNames.shortName("Portable Computing Language")).isEqualTo("pocl");
        assertThat(PlatformNames.shortName("rusticl")).isEqualTo("rusticl");
        assertThat(PlatformNames.shortName("NVIDIA CUDA")).isEqualTo("nvidia");
        assertThat(PlatformNames.shortName("Intel(R) OpenCL Graphics")).isEqualTo("intel");
        assertThat(PlatformNames.shortName("AMD Accelerated Parallel Processing")).isEqualTo("amd");
        assertThat(PlatformNames.shortName("Clover")).isEqualTo("clover");
        assertThat(PlatformNames.shortName("Xilinx")).isEqualTo("xilinx");
    }

    @Test
    void describesEveryBackend() {
        String text = Devices.describe();
        assertThat(text).contains("jvm: 1 device").contains("cuda: ").contains("spirv: ");
    }

    @Test
    void missingIcdLoaderMakesOpenClUnavailableInsteadOfFailing() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dorg.lwjgl.opencl.libname=/nonexistent/libOpenCL.so.1",
                "-cp", System.getProperty("java.class.path"), Devices.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("jvm: 1 device")
                .contains("opencl: unavailable (the OpenCL ICD loader could not be used")
                .contains("spirv: unavailable (OpenCL is unavailable");
    }

    private static boolean noDriverLibrary() {
        return List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/cuda/lib64").stream()
                .noneMatch(dir -> Files.exists(Path.of(dir, "libcuda.so.1")));
    }
}
