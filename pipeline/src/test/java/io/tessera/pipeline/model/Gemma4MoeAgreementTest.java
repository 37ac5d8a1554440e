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
 * Gemma 4 mixture-of-experts layers (26B-A4B layout: a dense MLP beside routed experts) against
 * llama.cpp's {@code gemma4} graph on random-weight files: the logits after every position of a
 * 64-token prompt and a greedy continuation of 32 tokens, on the JVM and on OpenCL. The prompt
 * runs in tiles of 32 (prefill: each tile's tokens routed at once) and the continuation one token
 * at a time (decode), so both forms of the experts block are compared; the last 24 prompt positions
 * are also decoded one at a time after a prefill of the first 40 and their logits compared, since
 * the greedy continuations of these small random files repeat one token (random tied embeddings
 * predict themselves) and so check little of decode on their own.
 *
 * <p>Routing is discontinuous: a token whose k-th and (k+1)-th router logits lie closer than the
 * two implementations' rounding difference may go to different experts (llama.cpp's CPU GELU reads
 * an F16 table, ~1e-4 relative). The shapes here are small enough (3-4 layers, 96 tokens) that their
 * seeds hold no such near-tie; deeper random files do (an 8-layer 16x8 file parts at one token).
 */
@Tag("reference")
class Gemma4MoeAgreementTest {
    static final int PROMPT = LlamaCppAgreementTest.PROMPT;
    static final int CONTINUATION = LlamaCppAgreementTest.CONTINUATION;
    /** Prompt positions from here on are also decoded one at a time after a prefill of those before. */
    static final int DECODED_FROM = 40;

    @TempDir
    static Path dir;

    static RandomGemmaFile shape(String name, GgufTensorType type) {
        return switch (name) {
            // 4 layers, global at 1 and 3, k_eq_v; 16 experts, 8 per token (the real top-8), fused gate_up,
            // per-expert output scales; dense MLP 96 wide beside experts 32 wide
            case "moe-16x8" -> new RandomGemmaFile(Architecture.GEMMA4, 4, 64, 96, 4, 2, 32, 320, 16, 512,
                    type, type, 1_000_000f, 1f, 0f, 30f, 31,
                    new RandomGemmaFile.Gemma4Layout(2, 64, 1, 0.25f, 10_000f, 0, 0, true, true, false,
                            new RandomExperts(16, 8, 32, true, true)));
            // 3 layers, global at 2; 8 experts, 2 per token, separate gate and up, no expert scales
            case "moe-8x2" -> new RandomGemmaFile(Architecture.GEMMA4, 3, 64, 128, 2, 1, 32, 300, 12, 512,
                    type, type, 1_000_000f, 1f, 0f, 30f, 32,
                    new RandomGemmaFile.Gemma4Layout(3, 64, 1, 0.25f, 10_000f, 0, 0, false, false, false,
                            new RandomExperts(8, 2, 64, false, false)));
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("jvm", "moe-16x8", GgufTensorType.F32),
                Arguments.of("jvm", "moe-8x2", GgufTensorType.F32),
                Arguments.of("opencl:0", "moe-16x8", GgufTensorType.F32),
                Arguments.of("opencl:0", "moe-8x2", GgufTensorType.F32),
                Arguments.of("jvm", "moe-16x8", GgufTensorType.Q8_0));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void logitsAndGreedyTokensMatchLlamaCpp(String device, String shape, GgufTensorType type) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        Device target;
        try {
            target = Device.select(device);
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(false, device + " is not available here: " + e.getMessage());
            return;
        }
        RandomGemmaFile spec = shape(shape, type);
        Path file = dir.resolve(shape + "-" + type + ".gguf");
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
        float[][] decoded;
        Generation ours;
        try (Model model = Model.load(file);
             Decoder decoder = new Decoder(model, target, new Decoder.Options(PROMPT + CONTINUATION, 32, true))) {
            assertThat(model.weights().layers()).allSatisfy(l -> assertThat(l.ffn())
                    .isInstanceOf(FeedForward.Mixture.class));
            actual = decoder.prefillAll(ids);
            // the last positions again, one token at a time: the decode form of the experts block
            decoder.reset();
            decoder.prefill(Arrays.copyOf(ids, DECODED_FROM));
            decoded = new float[PROMPT - DECODED_FROM][];
            for (int p = DECODED_FROM; p < PROMPT; p++) {
                decoded[p - DECODED_FROM] = decoder.decode(ids[p]);
            }
            decoder.reset();
            ours = new Generator(decoder, model.tokenizer(), model.endTokens())
                    .generate(ids, CONTINUATION, SamplingSettings.greedyDecoding(), s -> { });
        }
        double nmse = ReferenceAgreement.nmse(actual, expected);
        double decodeNmse = ReferenceAgreement.nmse(decoded, Arrays.copyOfRange(expected, DECODED_FROM, PROMPT));
        int sameTop = ReferenceAgreement.sameTop1(actual, expected);
        long distinct = Arrays.stream(expectedGreedy).distinct().count();
        System.out.printf("agreement %s %s %s: nmse %.3e (decoded positions %.3e), top-1 %d/%d, greedy %s, %d distinct"
                + " tokens%n", device, shape, type, nmse, decodeNmse, sameTop, PROMPT,
                Arrays.equals(ours.ids(), expectedGreedy) ? "identical" : "differs", distinct);
        if (type == GgufTensorType.F32) {
            assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(1e-6);
            assertThat(decodeNmse).as("NMSE of the logits of the decoded positions").isLessThanOrEqualTo(1e-6);
            assertThat(sameTop).as("positions with the same top-1 token").isEqualTo(PROMPT);
            assertThat(ours.ids()).as("greedy continuation").containsExactly(expectedGreedy);
        } else {
            // llama.cpp quantises the activations to Q8_0 as well; a router near a tie may then pick
            // another expert for a token, so only the aggregate is bounded
            assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(1e-3);
            assertThat(decodeNmse).as("NMSE of the logits of the decoded positions").isLessThanOrEqualTo(1e-3);
            assertThat(sameTop).as("positions with the same top-1 token")
                    .isGreaterThanOrEqualTo((int) Math.ceil(0.95 * PROMPT));
        }
    }
}
