package io.tessera.media;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test fixtures generated once per build by ci/fixtures/media/make_fixtures.py with Debian's
 * python3 (PIL, NumPy, SciPy), ffmpeg and sox, into target/media-fixtures. Tests that need them skip
 * with the reason when a tool is missing.
 */
public final class Fixtures {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Path dir;
    private static String unavailable;

    private Fixtures() {}

    public static synchronized Path dir() {
        if (dir == null && unavailable == null) {
            generate();
        }
        assumeTrue(unavailable == null, () -> "media fixtures unavailable: " + unavailable);
        return dir;
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    private static void generate() {
        Path repo = Path.of(System.getProperty("tessera.repo", ".."));
        Path script = repo.resolve("ci/fixtures/media/make_fixtures.py");
        if (!Files.exists(script)) {
            script = Path.of("../ci/fixtures/media/make_fixtures.py");
        }
        Path out = Path.of("target/media-fixtures").toAbsolutePath();
        if (Files.exists(out.resolve("DONE"))) {
            dir = out;
            return;
        }
        for (String tool : new String[] {"/usr/bin/ffmpeg", "/usr/bin/sox"}) {
            if (!Files.isExecutable(Path.of(tool))) {
                unavailable = tool + " not installed";
                return;
            }
        }
        if (!Files.isExecutable(PYTHON)) {
            unavailable = "/usr/bin/python3 not installed";
            return;
        }
        try {
            Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import PIL, numpy, scipy").redirectErrorStream(true).start();
            if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
                unavailable = "python3-pil/numpy/scipy missing: " + new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return;
            }
            Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), out.toString())
                    .redirectErrorStream(true).start();
            byte[] log = p.getInputStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("fixture generation failed:\n" + new String(log, StandardCharsets.UTF_8));
            }
            dir = out;
        } catch (IOException e) {
            unavailable = "cannot run " + PYTHON + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted";
        }
    }

    /** A NumPy array read from a {@code .npy} file (little-endian f4, f8, u1, b1). */
    public record Npy(int[] shape, double[] data) {
        public int size() {
            return data.length;
        }
    }

    public static Npy npy(String name) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file(name))).order(ByteOrder.LITTLE_ENDIAN);
            int major = b.get(6);
            int headerLength = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8);
            int offset = major == 1 ? 10 : 12;
            String header = new String(b.array(), offset, headerLength, StandardCharsets.US_ASCII);
            if (header.contains("'fortran_order': True")) {
                throw new IllegalStateException(name + " is in Fortran order; write fixtures C-contiguous");
            }
            String descr = header.replaceAll(".*'descr': '([^']+)'.*", "$1").strip();
            String shapeText = header.replaceAll(".*'shape': \\(([^)]*)\\).*", "$1").strip();
            String[] parts = shapeText.isEmpty() ? new String[0] : shapeText.split(",");
            java.util.List<Integer> dims = new java.util.ArrayList<>();
            for (String s : parts) {
                if (!s.isBlank()) {
                    dims.add(Integer.parseInt(s.strip()));
                }
            }
            int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            double[] data = new double[n];
            int p = offset + headerLength;
            for (int i = 0; i < n; i++) {
                switch (descr) {
                    case "<f4" -> { data[i] = b.getFloat(p); p += 4; }
                    case "<f8" -> { data[i] = b.getDouble(p); p += 8; }
                    case "|u1", "|b1" -> { data[i] = b.get(p) & 0xFF; p += 1; }
                    default -> throw new IllegalStateException("unsupported npy dtype " + descr + " in " + name);
                }
            }
            return new Npy(shape, data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
