package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.reference.LlamaCpp;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatTemplate;

/**
 * The Gemma 3n text decoder against llama.cpp on a random-weight gemma3n file with every feature
 * of the family in play: AltUp streams, per-layer inputs, LAuReL, gaussian top-k on layers 0-9,
 * KV sharing on layers 20-24 (four local ones reading layer 18's cache, one global reading layer
 * 19's), a sliding window shorter than the prompt, the final soft cap. Logits after every position
 * of a 64-token prompt by NMSE, and a greedy continuation of 32 tokens (identical for F32).
 */
@Tag("reference")
class Gemma3nAgreementTest {
    static final int PROMPT = LlamaCppAgreementTest.PROMPT;
    static final int CONTINUATION = LlamaCppAgreementTest.CONTINUATION;
    // 25 layers: KV sharing needs more than llama.cpp's 20 layers with their own cache
    static final RandomGemma3nFile SPEC = new RandomGemma3nFile(25, 64, 128, 4, 2, 32, 320, 16, 1_000_000f, 15_000f,
            31, GgufTensorType.F32);

    @TempDir
    static Path dir;

    static Path file(GgufTensorType type) throws IOException {
        Path file = dir.resolve("gemma3n-" + type + ".gguf");
        if (!Files.exists(file)) {
            new RandomGemma3nFile(SPEC.layers(), SPEC.hidden(), SPEC.ffn(), SPEC.heads(), SPEC.kvHeads(),
                    SPEC.headDim(), SPEC.vocab(), SPEC.window(), SPEC.ropeBase(), SPEC.swaBase(), SPEC.seed(), type)
                    .write(file);
        }
        return file;
    }

    /** F32 on both backends; Q8_0 (quantised AltUp projections among the rest) on the JVM. */
    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("jvm", GgufTensorType.F32), Arguments.of("opencl:pocl", GgufTensorType.F32),
                Arguments.of("jvm", GgufTensorType.Q8_0));
    }

    @Test
    void fileReadsAsLlamaCppReadsIt() throws IOException {
        try (Model model = Model.load(file(GgufTensorType.F32))) {
            ModelConfig c = model.config();
            assertThat(c.architecture()).isEqualTo(Architecture.GEMMA3N);
            assertThat(c.attentionScale()).isEqualTo(1f);
            assertThat(c.finalSoftcap()).isEqualTo(30f);
            for (int i = 0; i < c.layerCount(); i++) {
                LayerConfig l = c.layer(i);
                assertThat(l.local()).as("layer %d local", i).isEqualTo(i % 5 < 4);
                assertThat(l.ropeBase()).as("layer %d RoPE base", i).isEqualTo(l.local() ? 15_000f : 1_000_000f);
                // llama-model.cpp reuse callback: n_layer_kv_from_start - (is_swa ? 2 : 1)
                assertThat(l.kvLayer()).as("layer %d kv layer", i).isEqualTo(i < 20 ? i : l.local() ? 18 : 19);
            }
            AltUpConfig a = model.altUp().orElseThrow();
            assertThat(a.streams()).isEqualTo(4);
            assertThat(a.laurelRank()).isEqualTo(64);
            for (int i = 0; i < c.layerCount(); i++) {
                assertThat(a.sparse(i)).as("layer %d sparse", i).isEqualTo(i < 10);
            }
            assertThat(model.chatTemplate()).isEqualTo(ChatTemplate.GEMMA3N);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void logitsAndGreedyTokensMatchLlamaCpp(String device, GgufTensorType type) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        Device target;
        try {
            target = Device.select(device);
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(false, device + " is not available here: " + e.getMessage());
            return;
        }
        Path file = file(type);
        int[] ids = LlamaCppAgreementTest.prompt(SPEC.vocab(), SPEC.seed());
        float[][] expected;
        int[] expectedGreedy;
        try (LlamaCpp.Model m = ref.open(file, PROMPT + CONTINUATION, false)) {
            expected = m.logits(ids);
            expectedGreedy = m.greedy(ids, CONTINUATION);
        }
        float[][] actual;
        Generation ours;
        try (Model model = Model.load(file);
             Decoder decoder = new Decoder(model, target, new Decoder.Options(PROMPT + CONTINUATION, 32, true))) {
            actual = decoder.prefillAll(ids);
            ours = new Generator(decoder, model.tokenizer(), model.endTokens())
                    .generate(ids, CONTINUATION, SamplingSettings.greedyDecoding(), s -> { });
        }
        double nmse = ReferenceAgreement.nmse(actual, expected);
        int sameTop = ReferenceAgreement.sameTop1(actual, expected);
        long distinct = Arrays.stream(expectedGreedy).distinct().count();
        boolean exact = type == GgufTensorType.F32;
        int agree = 0;
        while (agree < Math.min(ours.ids().length, expectedGreedy.length) && ours.ids()[agree] == expectedGreedy[agree]) {
            agree++;
        }
        System.out.printf("agreement gemma3n %s %s: nmse %.3e, top-1 %d/%d, greedy %d/%d identical, %d distinct "
                + "tokens %s%n", device, type, nmse, sameTop, PROMPT, agree, expectedGreedy.length, distinct,
                Arrays.toString(expectedGreedy));
        assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(exact ? 1e-6 : 1e-3);
        assertThat(sameTop).as("positions with the same top-1 token").isGreaterThanOrEqualTo(exact ? PROMPT
                : (int) Math.ceil(0.95 * PROMPT));
        assertThat(expectedGreedy).as("llama.cpp's greedy continuation").hasSize(CONTINUATION);
        // a continuation stuck on one token would agree with llama.cpp trivially
        assertThat(distinct).as("distinct tokens in the greedy continuation").isGreaterThanOrEqualTo(12);
        assertThat(longestRun(expectedGreedy)).as("longest run of one token in the greedy continuation")
                .isLessThan(4);
        if (exact) {
            String greedy = ReferenceAgreement.checkGreedy(() -> ref.open(file, PROMPT + CONTINUATION, false), ids,
                    ours.ids(), expectedGreedy);
            assertThat(ours.ids()).as(greedy).containsExactly(expectedGreedy);
        }
    }

    /**
     * Rows of embeddings from the host (a multimodal chunk's path: unscaled, per-layer inputs of token
     * 0) against llama.cpp's decoding of the same rows, after each of four chunks of 8 rows.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"jvm", "opencl:pocl"})
    void embeddingRowsMatchLlamaCpp(String device) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        Device target;
        try {
            target = Device.select(device);
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(false, device + " is not available here: " + e.getMessage());
            return;
        }
        Path file = file(GgufTensorType.F32);
        int rows = 32;
        int chunk = 8;
        int h = SPEC.hidden();
        java.util.SplittableRandom r = new java.util.SplittableRandom(77);
        float[] embd = new float[rows * h];
        for (int i = 0; i < embd.length; i++) {
            embd[i] = (float) (2 * r.nextGaussian());
        }
        float[][] expected;
        try (LlamaCpp.Model m = ref.open(file, rows, false)) {
            expected = m.logitsOfEmbeddings(embd, rows);
        }
        try (Model model = Model.load(file);
             Decoder decoder = new Decoder(model, target, new Decoder.Options(rows, chunk, false))) {
            for (int c = 0; c < rows / chunk; c++) {
                float[] part = Arrays.copyOfRange(embd, c * chunk * h, (c + 1) * chunk * h);
                float[] actual = decoder.prefillEmbeddings(part, chunk, false);
                int p = (c + 1) * chunk - 1;
                double nmse = ReferenceAgreement.nmse(new float[][] {actual}, new float[][] {expected[p]});
                System.out.printf("agreement gemma3n %s embeddings: position %d nmse %.3e%n", device, p, nmse);
                assertThat(nmse).as("NMSE of the logits after row %d", p).isLessThanOrEqualTo(1e-6);
                assertThat(LlamaCppAgreementTest.argMax(actual)).as("top-1 after row %d", p)
                        .isEqualTo(LlamaCppAgreementTest.argMax(expected[p]));
            }
        }
    }

    static int longestRun(int[] ids) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < ids.length; i++) {
            run = i > 0 && ids[i] == ids[i - 1] ? run + 1 : 1;
            best = Math.max(best, run);
        }
        return best;
    }
}
