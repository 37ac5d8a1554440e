package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.reference.LlamaCpp;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatTemplate;

/**
 * The Gemma 3n text decoder against llama.cpp on a random-weight gemma3n file with every feature
 * of the family in play: AltUp streams, per-layer inputs, LAuReL, gaussian top-k on layers 0-9,
 * KV sharing on layers 20-24 (four local ones reading layer 18's cache, one global reading layer
 * 19's), a sliding window shorter than the prompt, the final soft cap. Logits after every position
 * of a 64-token prompt by NMSE, and a greedy continuation of 32 tokens.
 */
@Tag("reference")
class Gemma3nAgreementTest {
    static final int PROMPT = LlamaCppAgreementTest.PROMPT;
    static final int CONTINUATION = LlamaCppAgreementTest.CONTINUATION;
    // 25 layers: KV sharing needs more than llama.cpp's 20 layers with their own cache
    static final RandomGemma3nFile SPEC = new RandomGemma3nFile(25, 64, 128, 4, 2, 32, 320, 16, 1_000_000f, 15_000f,
            31);

    @TempDir
    static Path dir;

    static Path file() throws IOException {
        Path file = dir.resolve("gemma3n.gguf");
        if (!Files.exists(file)) {
            SPEC.write(file);
        }
        return file;
    }

    @Test
    void fileReadsAsLlamaCppReadsIt() throws IOException {
        try (Model model = Model.load(file())) {
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jvm", "opencl:pocl"})
    void logitsAndGreedyTokensMatchLlamaCpp(String device) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        Device target;
        try {
            target = Device.select(device);
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(false, device + " is not available here: " + e.getMessage());
            return;
        }
        Path file = file();
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
        String greedy = ReferenceAgreement.checkGreedy(() -> ref.open(file, PROMPT + CONTINUATION, false), ids,
                ours.ids(), expectedGreedy);
        System.out.printf("agreement gemma3n %s F32: nmse %.3e, top-1 %d/%d, %s, %d distinct tokens %s%n", device,
                nmse, sameTop, PROMPT, greedy, distinct, Arrays.toString(expectedGreedy));
        assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(1e-6);
        assertThat(sameTop).as("positions with the same top-1 token").isEqualTo(PROMPT);
        assertThat(expectedGreedy).as("llama.cpp's greedy continuation").hasSize(CONTINUATION);
        // a continuation stuck on one token would agree with llama.cpp trivially
        assertThat(distinct).as("distinct tokens in the greedy continuation").isGreaterThanOrEqualTo(12);
        assertThat(longestRun(expectedGreedy)).as("longest run of one token in the greedy continuation")
                .isLessThan(4);
        assertThat(ours.ids()).as("greedy continuation").containsExactly(expectedGreedy);
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
