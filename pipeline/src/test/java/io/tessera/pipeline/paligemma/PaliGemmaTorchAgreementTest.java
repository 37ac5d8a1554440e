package io.tessera.pipeline.paligemma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.tessera.media.FloatTensor;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.tasks.api.Device;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PaliGemma 1 and 2 on random-weight Hugging Face directories against the PyTorch reference
 * (spec/MODELS.md §3): the logits after the prefix (image soft tokens, {@code <bos>}, prompt,
 * {@code "\n"}, one bidirectional block) and after each token of a causal suffix agree within NMSE
 * 1e-6, with the same greedy token at every position. The same reference with a plain causal mask
 * disagrees, so the agreement is evidence of the prefix-LM mask and not only of the layers.
 */
class PaliGemmaTorchAgreementTest {
    private static final double BOUND = 1e-6;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "PaliGemma {0}, {1}, sharded {2}")
    @CsvSource({"1, F32, false", "2, F32, true", "2, BF16, false", "1, F16, true"})
    void logitsAgreeWithPyTorch(int version, String dtype, boolean sharded) throws Exception {
        TorchReference.assumeAvailable();
        Path dir = new RandomPaliGemma(version == 2, dtype, sharded, 7 + version).write(tmp.resolve("model"));
        try (PaliGemma m = PaliGemma.load(dir)) {
            int tokens = m.config().imageTokens();
            int size = m.config().vision().imageSize();
            float[] pixels = new float[3 * size * size];
            Random r = new Random(3);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) (2 * r.nextDouble() - 1);
            }
            int[] text = m.prefixText("detect cat");
            int[] suffix = {m.tokenizer().locationToken(17), m.tokenizer().locationToken(900),
                m.tokenizer().encode("cat", false, false)[0], m.tokenizer().segmentationToken(5)};
            int prefix = tokens + text.length;
            int[] ids = new int[prefix + suffix.length];
            java.util.Arrays.fill(ids, 0, tokens, m.config().imageTokenIndex());
            System.arraycopy(text, 0, ids, tokens, text.length);
            System.arraycopy(suffix, 0, ids, prefix, suffix.length);

            List<float[]> ours = new ArrayList<>();
            try (VisionEncoder enc = new VisionEncoder(m.config().vision(), m.weights().vision(), Device.jvm(),
                    VisionEncoder.Options.batch(1));
                 Decoder d = new Decoder(m.config().text(), m.weights().text(), Device.jvm(),
                         new Decoder.Options(ids.length + 1, prefix, false))) {
                float[] image = enc.encode(List.of(new FloatTensor(new int[] {3, size, size}, pixels))).getFirst();
                PaliGemmaGenerator g = new PaliGemmaGenerator(m, d);
                ours.add(g.prefill(List.of(image), text));
                for (int id : suffix) {
                    ours.add(d.decode(id));
                }
            }
            int vocab = m.config().text().vocab();
            float[][] ref = TorchReference.logits(dir, pixels, ids, prefix, false, tmp);
            float[][] causal = TorchReference.logits(dir, pixels, ids, prefix, true, tmp);
            assertEquals(ids.length, ref.length);
            assertEquals(vocab + RandomPaliGemma.PADDING, ref[0].length, "the reference sees the padded table");
            double worst = 0;
            double causalWorst = 0;
            for (int j = 0; j < ours.size(); j++) {
                float[] mine = ours.get(j);
                assertEquals(vocab, mine.length, "logits stop at the tokenizer's vocabulary");
                double e = TorchReference.nmse(mine, ref[prefix - 1 + j]);
                assertEquals(argmax(ref[prefix - 1 + j], vocab), argmax(mine, vocab), "greedy token after position "
                        + (prefix - 1 + j));
                worst = Math.max(worst, e);
                causalWorst = Math.max(causalWorst, TorchReference.nmse(mine, causal[prefix - 1 + j]));
            }
            System.out.printf("PaliGemma %d %s sharded=%b: worst NMSE %.3g over %d positions; against a causal mask"
                    + " %.3g%n", version, dtype, sharded, worst, ours.size(), causalWorst);
            assertTrue(worst < BOUND, "NMSE " + worst + " against PyTorch");
            assertTrue(causalWorst > 1e-3, "a causal mask should give other logits, NMSE " + causalWorst);
        }
    }

    private static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
