package io.tessera.tasks.runtime.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ptx.KernelSignature;
import io.tessera.tasks.runtime.backend.UnsupportedBackendException;
import io.tessera.tasks.runtime.device.DeviceInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CUDA backend's parts that need no GPU: launch shapes, argument values, and a machine without the driver. */
class CudaBackendTest {

    @Test
    void loopParallelKernelsGetDefaultBlocksAndCappedGrids() {
        CudaGrid oneD = CudaGrid.forIterations(new long[] {1000}, 132);
        assertThat(oneD.threads()).containsExactly(CudaGrid.DEFAULT_BLOCK, 1, 1);
        assertThat(oneD.blocks()).containsExactly(4, 1, 1);
        assertThat(CudaGrid.forIterations(new long[] {100_000_000}, 132).blocks()).containsExactly(32 * 132, 1, 1);
        CudaGrid twoD = CudaGrid.forIterations(new long[] {33, 9}, 132);
        assertThat(twoD.threads()).containsExactly(32, 8, 1);
        assertThat(twoD.blocks()).containsExactly(2, 2, 1);
        assertThat(CudaGrid.forIterations(new long[] {5, 1_000_000_000L, 3}, 132).blocks()).containsExactly(1, 65535, 1);
        assertThat(CudaGrid.forIterations(new long[] {}, 132).blocks()).containsExactly(1, 1, 1);
    }

    @Test
    void aGivenGlobalSizeIsKeptExactly() {
        CudaGrid withLocal = CudaGrid.forGlobal(new long[] {1024, 6}, new long[] {128, 2}, 1024);
        assertThat(withLocal.blocks()).containsExactly(8, 3, 1);
        assertThat(withLocal.threads()).containsExactly(128, 2, 1);
        // the device chooses: the largest divisors that fit 256 threads
        CudaGrid chosen = CudaGrid.forGlobal(new long[] {1000, 8}, new long[] {0, 0}, 1024);
        assertThat(chosen.threads()).containsExactly(250, 1, 1);
        assertThat(chosen.blocks()).containsExactly(4, 8, 1);
        assertThat(CudaGrid.forGlobal(new long[] {97}, null, 1024).threads()).containsExactly(97, 1, 1);
        assertThat(CudaGrid.forGlobal(new long[] {64, 64}, null, 1024).threads()).containsExactly(64, 4, 1);
        assertThatThrownBy(() -> CudaGrid.forGlobal(new long[] {100}, new long[] {64}, 1024))
                .hasMessageContaining("not a multiple of the local size 64");
        assertThatThrownBy(() -> CudaGrid.forGlobal(new long[] {2048}, new long[] {2048}, 1024))
                .hasMessageContaining("2048 threads exceeds the device's 1024 threads per block");
        assertThatThrownBy(() -> CudaGrid.forGlobal(new long[] {1, 65536 * 2L}, new long[] {1, 1}, 1024))
                .hasMessageContaining("more than CUDA's 65535");
    }

    @Test
    void argumentsFollowTheSignatureWithBooleansAsInts() {
        FloatArray x = FloatArray.allocate(10);
        HalfArray h = HalfArray.allocate(7);
        KernelSignature signature = new KernelSignature(List.of(
                new KernelSignature.ArrayArgument(0, "x", ElementType.F32),
                new KernelSignature.ScalarArgument(1, "alpha", ScalarType.F32),
                new KernelSignature.ScalarArgument(2, "flag", ScalarType.BOOL),
                new KernelSignature.ScalarArgument(3, "n", ScalarType.I64),
                new KernelSignature.ScalarArgument(4, "d", ScalarType.F64),
                new KernelSignature.ArrayArgument(5, "h", ElementType.F16),
                new KernelSignature.LengthArgument(5, "h_length")), Map.of());
        Object[] args = {x, 1.5f, true, 1L << 40, 0.25, h};
        try (Arena arena = Arena.ofConfined()) {
            List<MemorySegment> v = CudaArguments.pack(arena, signature, args, p -> 0x1000L + p, "k");
            assertThat(v).hasSize(7);
            assertThat(v.get(0).get(JAVA_LONG, 0)).isEqualTo(0x1000L);
            assertThat(v.get(1).get(JAVA_FLOAT, 0)).isEqualTo(1.5f);
            assertThat(v.get(2).byteSize()).isEqualTo(4);
            assertThat(v.get(2).get(JAVA_INT, 0)).isEqualTo(1);
            assertThat(v.get(3).get(JAVA_LONG, 0)).isEqualTo(1L << 40);
            assertThat(v.get(4).get(JAVA_DOUBLE, 0)).isEqualTo(0.25);
            assertThat(v.get(5).get(JAVA_LONG, 0)).isEqualTo(0x1005L);
            assertThat(v.get(6).get(JAVA_LONG, 0)).isEqualTo(7L);
            assertThatThrownBy(() -> CudaArguments.pack(arena, signature, new Object[] {x, 1, true, 1L, 0.25, h},
                    p -> 0, "k")).hasMessageContaining("kernel k: argument alpha of type float is 1");
        }
    }

    @Test
    void withoutTheDriverTheBackendSaysWhy() {
        String reason = CudaDriver.unavailableReason();
        assumeTrue(reason != null, "the CUDA driver is installed here; the GPU tests cover it");
        DeviceInfo info = new DeviceInfo("cuda:0", List.of(), "cuda", "absent", "NVIDIA", "-", 1, 1, 1, 1, 1024,
                true, true, false, List.of("ptx"));
        assertThatThrownBy(() -> CudaBackend.open(info)).isInstanceOf(UnsupportedBackendException.class)
                .hasMessageContaining("device cuda:0: ").hasMessageContaining(reason);
        assertThatThrownBy(() -> Device.select("cuda:0")).hasMessageContaining("backend cuda is unavailable: " + reason);
    }
}
