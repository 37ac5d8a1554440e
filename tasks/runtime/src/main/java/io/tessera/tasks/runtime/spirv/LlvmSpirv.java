package io.tessera.tasks.runtime.spirv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Khronos SPIR-V/LLVM translator ({@code llvm-spirv}, Debian package {@code llvm-spirv-15}),
 * used in reverse: our SPIR-V module becomes SPIR 1.2 LLVM bitcode with OpenCL 1.2 built-ins
 * ({@code llvm-spirv -r --spirv-target-env=CL1.2}), which OpenCL drivers with {@code cl_khr_spir}
 * (PoCL) build with {@code -x spir -spir-std=1.2}. This is how SPIR-V runs on devices that cannot
 * ingest it; drivers that can take SPIR-V directly never need the tool.
 */
public final class LlvmSpirv {
    /** Names tried on {@code PATH}, most specific first: the translator must match an LLVM the driver reads. */
    public static final List<String> NAMES = List.of("llvm-spirv-15", "llvm-spirv");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path executable;

    private LlvmSpirv(Path executable) {
        this.executable = executable;
    }

    /** The translator on {@code PATH} (or {@code /usr/bin}), or empty when it is not installed. */
    public static Optional<LlvmSpirv> find() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin";
        for (String name : NAMES) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(new LlvmSpirv(Path.of(dir, name)));
                }
            }
        }
        return Optional.empty();
    }

    /** The executable's file name, e.g. {@code llvm-spirv-15}, for device descriptions. */
    public String name() {
        return executable.getFileName().toString();
    }

    /** SPIR 1.2 bitcode for {@code spirv}; a translation failure carries the translator's output. */
    public byte[] toSpir12(byte[] spirv) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tessera-spir");
            Path in = Files.write(dir.resolve("kernel.spv"), spirv);
            Path out = dir.resolve("kernel.bc");
            Process process = new ProcessBuilder(executable.toString(), "-r", "--spirv-target-env=CL1.2",
                    in.toString(), "-o", out.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TranslationException(name() + " did not finish in " + TIMEOUT_SECONDS + " s", output);
            }
            if (process.exitValue() != 0 || !Files.exists(out)) {
                throw new TranslationException(name() + " -r exited with " + process.exitValue(), output);
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new TranslationException("running " + executable + " failed: " + e.getMessage(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranslationException("interrupted while running " + name(), "");
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** The translator rejected a module, or could not be run; {@link #output()} is what it printed. */
    public static final class TranslationException extends RuntimeException {
        private final String output;

        TranslationException(String message, String output) {
            super(message);
            this.output = output;
        }

        public String output() {
            return output;
        }
    }
}
