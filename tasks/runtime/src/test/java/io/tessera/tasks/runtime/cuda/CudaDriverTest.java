package io.tessera.tasks.runtime.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class CudaDriverTest {

    @Test
    void aMissingDriverLibraryIsReportedInOneLine() {
        assertThatThrownBy(() -> CudaDriver.load("libcuda-not-installed.so.1"))
                .isInstanceOf(CudaUnavailableException.class)
                .hasMessage("libcuda-not-installed.so.1 not found (no NVIDIA driver)");
    }

    @Test
    void thisMachineSaysWhetherCudaIsUsable() {
        String reason = CudaDriver.unavailableReason();
        assumeTrue(reason != null, "an NVIDIA driver is installed here; the unavailable path is covered above");
        boolean libraryPresent = new java.io.File("/usr/lib/x86_64-linux-gnu/libcuda.so.1").exists()
                || new java.io.File("/usr/lib64/libcuda.so.1").exists();
        if (!libraryPresent) {
            assertThat(reason).isEqualTo("libcuda.so.1 not found (no NVIDIA driver)");
        } else {
            assertThat(reason).startsWith("the CUDA driver does not initialise: cuInit failed: ");
        }
        assertThatThrownBy(CudaDriver::load).isInstanceOf(CudaUnavailableException.class).hasMessage(reason);
    }

    @Test
    void errorsNameTheCallAndTheResult() {
        CudaException e = new CudaException("cuModuleLoadDataEx", 218, "CUDA_ERROR_INVALID_PTX",
                "a PTX JIT compilation failed", "JIT error log:\nptxas application ptx input, line 12; error");
        assertThat(e.getMessage()).isEqualTo("cuModuleLoadDataEx failed: CUDA_ERROR_INVALID_PTX (218): "
                + "a PTX JIT compilation failed\nJIT error log:\nptxas application ptx input, line 12; error");
        assertThat(e.call()).isEqualTo("cuModuleLoadDataEx");
        assertThat(e.result()).isEqualTo(218);
        assertThat(e.resultName()).isEqualTo("CUDA_ERROR_INVALID_PTX");
    }

    @Test
    void peakBandwidthFromClockAndBusWidth() {
        // an H100 SXM: 2619 MHz HBM3 on a 5120-bit bus, 3.35 TB/s
        CudaDevice h100 = new CudaDevice(0, "NVIDIA H100", 80L << 30, 90, 132, 1024, 49152, 32, 2_619_000, 5120);
        assertThat(h100.peakBandwidthBytesPerSecond()).isEqualTo(2 * 2.619e9 * 640);
        assertThat(h100.selector()).isEqualTo("cuda:0");
    }
}
