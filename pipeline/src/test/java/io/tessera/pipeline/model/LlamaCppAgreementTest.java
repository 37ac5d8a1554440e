package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

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
 * The decoder against llama.cpp on the same random-weight GGUF files: the logits after every
 * position of a 64-token prompt (normalised mean squared error), the top-1 token per position,
 * and a greedy continuation of 32 tokens.
 */
@Tag("reference")
class LlamaCppAgreementTest {
    static final int PROMPT = 64;
    static final int CONTINUATION = 32;

    @TempDir
    static Path dir;

    /** Shapes: GQA with head_dim != hidden/heads and a window shorter than the prompt, MQA, softcaps. */
    static RandomGemmaFile shape(String name, GgufTensorType type) {
        return switch (name) {
            // 6 layers: five local (window 16), one global; 4 heads over 2 kv heads; head_dim 32 != 64 / 4
            case "gemma3-gqa" -> new RandomGemmaFile(Architecture.GEMMA3, 6, 64, 128, 4, 2, 32, 320, 16, 512, type,
                    type, 1_000_000f, 1f, 0f, 0f, 11);
            // linear RoPE scaling on the global layer, MQA
            case "gemma3-mqa-scaled" -> new RandomGemmaFile(Architecture.GEMMA3, 6, 64, 96, 2, 1, 64, 300, 24, 512,
                    type, type, 1_000_000f, 8f, 0f, 0f, 12);
            // local/global alternating from layer 0, attention and final soft caps
            case "gemma2-mqa" -> new RandomGemmaFile(Architecture.GEMMA2, 2, 64, 128, 2, 1, 32, 300, 20, 512, type,
                    type, 10_000f, 1f, 50f, 30f, 13);
            case "gemma-gqa" -> new RandomGemmaFile(Architecture.GEMMA, 2, 64, 160, 4, 2, 32, 290, 0, 512, type,
                    type, 10_000f, 1f, 0f, 0f, 14);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String device : List.of("jvm")) {
            for (GgufTensorType type : List.of(GgufTensorType.F32, GgufTensorType.F16, GgufTensorType.Q8_0,
                    GgufTensorType.Q4_0)) {
                for (String shape : List.of("gemma3-gqa", "gemma3-mqa-scaled", "gemma2-mqa", "gemma-gqa")) {
                    all.add(Arguments.of(device, shape, type));
                }
            }
        }
        return all.stream();
    }

    static int[] prompt(int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[PROMPT];
        ids[0] = RandomGemmaFile.BOS;
        for (int i = 1; i < PROMPT; i++) {
            ids[i] = RandomGemmaFile.SPECIALS.size() + r.nextInt(vocab - RandomGemmaFile.SPECIALS.size());
        }
        return ids;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void logitsAndGreedyTokensMatchLlamaCpp(String device, String shape, GgufTensorType type) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        RandomGemmaFile spec = shape(shape, type);
        Path file = dir.resolve(shape + "-" + type + ".gguf");
        if (!Files.exists(file)) {
            spec.write(file);
        }
        int[] ids = prompt(spec.vocab(), spec.seed());
        float[][] expected;
        int[] expectedGreedy;
        try (LlamaCpp.Model m = ref.open(file, PROMPT + CONTINUATION, false)) {
            expected = m.logits(ids);
            expectedGreedy = m.greedy(ids, CONTINUATION);
        }
        float[][] actual;
        Generation ours;
        try (Model model = Model.load(file);
             Decoder decoder = new Decoder(model, Device.select(device),
                     new Decoder.Options(PROMPT + CONTINUATION, 32, true))) {
            actual = decoder.prefillAll(ids);
            ours = new Generator(decoder, model.tokenizer(), model.endTokens())
                    .generate(ids, CONTINUATION, SamplingSettings.greedyDecoding(), s -> { });
        }
        double num = 0;
        double den = 0;
        int sameTop = 0;
        for (int p = 0; p < PROMPT; p++) {
            for (int v = 0; v < expected[p].length; v++) {
                double d = actual[p][v] - expected[p][v];
                num += d * d;
                den += (double) expected[p][v] * expected[p][v];
            }
            if (argMax(actual[p]) == argMax(expected[p])) {
                sameTop++;
            }
        }
        double nmse = num / den;
        int agree = 0;
        while (agree < Math.min(ours.ids().length, expectedGreedy.length) && ours.ids()[agree] == expectedGreedy[agree]) {
            agree++;
        }
        System.out.printf("agreement %s %s %s: nmse %.3e, top-1 %d/%d, greedy %d/%d%n", device, shape, type, nmse,
                sameTop, PROMPT, agree, expectedGreedy.length);
        boolean exact = type == GgufTensorType.F32;
        assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(exact ? 1e-6 : 1e-3);
        assertThat(sameTop).as("positions with the same top-1 token").isGreaterThanOrEqualTo(exact ? PROMPT
                : (int) Math.ceil(0.95 * PROMPT));
        if (exact) {
            assertThat(ours.ids()).as("greedy continuation").containsExactly(expectedGreedy);
        }
    }

    static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
