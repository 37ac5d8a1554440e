package io.tessera.pipeline.paligemma;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The PyTorch reference of PaliGemma ({@code paligemma/paligemma_reference.py} in the test
 * resources, plain torch ops written from spec/MODELS.md §3) through Debian's {@code /usr/bin/python3}
 * with {@code python3-torch}. Tests using it skip with the reason when either is absent.
 */
final class TorchReference {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static String unavailable;
    private static boolean checked;

    private TorchReference() {
    }

    static synchronized void assumeAvailable() {
        if (!checked) {
            checked = true;
            if (!Files.isExecutable(PYTHON)) {
                unavailable = PYTHON + " not installed";
            } else {
                try {
                    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy")
                            .redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        unavailable = "python3-torch/numpy missing (apt-get install python3-torch): " + out;
                    }
                } catch (IOException e) {
                    unavailable = "cannot run " + PYTHON + ": " + e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unavailable = "interrupted";
                }
            }
        }
        assumeTrue(unavailable == null, () -> "PyTorch reference unavailable: " + unavailable);
    }

    /** Logits [T][rows] of every position of {@code ids} for the model in {@code dir} and the preprocessed image. */
    static float[][] logits(Path dir, float[] pixels, int[] ids, int prefixLength, boolean causal, Path work)
            throws IOException, InterruptedException {
        assumeAvailable();
        Path px = work.resolve("pixels.f32");
        ByteBuffer b = ByteBuffer.allocate(4 * pixels.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : pixels) {
            b.putFloat(f);
        }
        Files.write(px, b.array());
        Path idsFile = work.resolve("ids.txt");
        Files.writeString(idsFile, IntStream.of(ids).mapToObj(Integer::toString).collect(Collectors.joining("\n")));
        Path out = work.resolve(causal ? "logits-causal.f32" : "logits.f32");
        Path script;
        try {
            script = Path.of(TorchReference.class.getResource("/paligemma/paligemma_reference.py").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), dir.toString(), px.toString(),
                idsFile.toString(), Integer.toString(prefixLength), out.toString()));
        if (causal) {
            cmd.add("--causal");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("the PyTorch reference failed:\n" + log);
        }
        String[] shape = log.strip().split("\\s+");
        int t = Integer.parseInt(shape[shape.length - 2]);
        int rows = Integer.parseInt(shape[shape.length - 1]);
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        float[][] logits = new float[t][rows];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < rows; j++) {
                logits[i][j] = in.getFloat();
            }
        }
        return logits;
    }

    /** sum (a - b)^2 / sum b^2 over the first a.length values. */
    static double nmse(float[] a, float[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return num / den;
    }
}
