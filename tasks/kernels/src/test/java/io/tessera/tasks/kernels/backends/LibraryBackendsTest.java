package io.tessera.tasks.kernels.backends;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.tasks.compiler.ir.KernelIrStore;
import io.tessera.tasks.compiler.ptx.PtxEmitter;
import io.tessera.tasks.compiler.spirv.SpirvEmitter;
import io.tessera.tasks.kernels.KernelLibrary;

/**
 * Every kernel of the library through the PTX and SPIR-V back ends, checked by the vendors' tools:
 * NVIDIA's {@code ptxas} for sm_80 and sm_90, Khronos' {@code spirv-val} for the OpenCL 2.1
 * environment. Skipped, with the reason, where a tool is not installed.
 */
class LibraryBackendsTest {

    @TempDir
    Path dir;

    static Stream<Method> kernels() {
        return KernelLibrary.kernels().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void ptxAssemblesForAmpereAndHopper(Method kernel) throws Exception {
        Path ptxas = tool("ptxas");
        for (int sm : new int[] {80, 90}) {
            Path file = dir.resolve("k" + sm + ".ptx");
            Files.writeString(file, PtxEmitter.emit(KernelIrStore.load(kernel), Map.of(), sm).ptx());
            String out = run(List.of(ptxas.toString(), "-arch=sm_" + sm, file.toString(), "-o",
                    dir.resolve("k" + sm + ".cubin").toString()));
            assertThat(out).as("ptxas sm_" + sm + " on " + KernelLibrary.name(kernel)).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void spirvValidatesForOpenCl21(Method kernel) throws Exception {
        Path val = tool("spirv-val");
        Path file = dir.resolve("k.spv");
        Files.write(file, SpirvEmitter.emit(KernelIrStore.load(kernel), Map.of()).binary());
        String out = run(List.of(val.toString(), "--target-env", "opencl2.1", file.toString()));
        assertThat(out).as("spirv-val on " + KernelLibrary.name(kernel)).isNull();
    }

    private static Path tool(String name) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/local/bin:/usr/bin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Assumptions.abort(name + " is not installed");
        return null;
    }

    /** Null when the command succeeded, otherwise its exit code and output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
