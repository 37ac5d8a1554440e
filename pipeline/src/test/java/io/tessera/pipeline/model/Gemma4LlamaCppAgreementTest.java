package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
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

/**
 * The Gemma 4 decoder against llama.cpp's {@code gemma4} graph on random-weight files: the logits
 * after every position of a 64-token prompt and a greedy continuation of 32 tokens. Two layouts:
 * a dense one (31B-style: global layers with wider heads, fewer kv heads, values from the keys'
 * projection, proportional RoPE) and an E-style one (per-layer inputs, KV cache shared by the last
 * layers, sliding and global).
 */
@Tag("reference")
class Gemma4LlamaCppAgreementTest {
    static final int PROMPT = LlamaCppAgreementTest.PROMPT;
    static final int CONTINUATION = LlamaCppAgreementTest.CONTINUATION;

    @TempDir
    static Path dir;

    static RandomGemmaFile shape(String name) {
        GgufTensorType f32 = GgufTensorType.F32;
        return switch (name) {
            // 6 layers, global at 2 and 5: head size 32 sliding / 64 global, 4 heads over 2 kv heads
            // sliding and 1 global, k_eq_v on global layers, a quarter of each global head rotating
            case "gemma4-dense" -> new RandomGemmaFile(Architecture.GEMMA4, 6, 64, 128, 4, 2, 32, 320, 16, 512,
                    f32, f32, 1_000_000f, 1f, 0f, 30f, 35,
                    new RandomGemmaFile.Gemma4Layout(3, 64, 1, 0.25f, 10_000f, 0, 0, true, true, false));
            // 9 layers, global at 2, 5, 8; layers 6-8 read the caches of layers 4 (sliding) and 5 (global);
            // per-layer inputs of width 16; the sharing layers have a double-wide MLP (ffn 192)
            case "gemma4-e" -> new RandomGemmaFile(Architecture.GEMMA4, 9, 64, 96, 2, 1, 32, 300, 12, 512,
                    f32, f32, 1_000_000f, 1f, 0f, 30f, 31,
                    new RandomGemmaFile.Gemma4Layout(3, 64, 1, 0.25f, 10_000f, 3, 16, false, true, true));
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("jvm", "gemma4-dense"),
                Arguments.of("jvm", "gemma4-e"),
                Arguments.of("opencl:pocl", "gemma4-dense"),
                Arguments.of("opencl:pocl", "gemma4-e"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void logitsAndGreedyTokensMatchLlamaCpp(String device, String shape) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        Device target;
        try {
            target = Device.select(device);
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(false, device + " is not available here: " + e.getMessage());
            return;
        }
        RandomGemmaFile spec = shape(shape);
        Path file = dir.resolve(shape + ".gguf");
        if (!Files.exists(file)) {
            spec.write(file);
        }
        int[] ids = LlamaCppAgreementTest.prompt(spec.vocab(), spec.seed());
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
            assertThat(model.config().architecture()).isEqualTo(Architecture.GEMMA4);
            actual = decoder.prefillAll(ids);
            ours = new Generator(decoder, model.tokenizer(), model.endTokens())
                    .generate(ids, CONTINUATION, SamplingSettings.greedyDecoding(), s -> { });
        }
        double nmse = ReferenceAgreement.nmse(actual, expected);
        int sameTop = ReferenceAgreement.sameTop1(actual, expected);
        long distinct = Arrays.stream(expectedGreedy).distinct().count();
        System.out.printf("agreement %s %s: nmse %.3e, top-1 %d/%d, greedy %s, %d distinct tokens %s%n", device,
                shape, nmse, sameTop, PROMPT, Arrays.equals(ours.ids(), expectedGreedy) ? "identical" : "differs",
                distinct, Arrays.toString(expectedGreedy));
        assertThat(distinct).as("distinct tokens in llama.cpp's greedy continuation (a degenerate model repeats one)")
                .isGreaterThanOrEqualTo(3);
        assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(1e-6);
        assertThat(sameTop).as("positions with the same top-1 token").isEqualTo(PROMPT);
        assertThat(ours.ids()).as("greedy continuation").containsExactly(expectedGreedy);
    }
}
