package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * BF16 weights (matrices and embedding) against llama.cpp on the shapes of
 * {@link LlamaCppAgreementTest}: the logits at every position of a 64-token prompt by normalised
 * mean squared error, the top-1 token per position, and the greedy continuation (reported; it is
 * not required to agree, since llama.cpp rounds the activations to BF16 before each BF16 dot product).
 */
@Tag("reference")
class Bf16AgreementTest {
    static final int PROMPT = LlamaCppAgreementTest.PROMPT;
    static final int CONTINUATION = LlamaCppAgreementTest.CONTINUATION;
    /**
     * The bound on the NMSE of the logits. llama.cpp's CPU backend rounds each activation vector to
     * BF16 (8 significant bits) before a BF16 dot product (ggml-cpu {@code vec_dot_type} of BF16 is
     * BF16) while ours stay F32, so the logits part by more than with F16 weights: 4.5e-6 to 1.9e-5
     * on these shapes, over the 1e-5 that F16 weights meet.
     */
    static final double NMSE = 5e-5;

    @TempDir
    static Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("jvm", "gemma3-gqa"), Arguments.of("jvm", "gemma2-mqa"),
                Arguments.of("jvm", "gemma-gqa"), Arguments.of("opencl:pocl", "gemma3-mqa-scaled"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void bf16LogitsMatchLlamaCpp(String device, String shape) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        Device target;
        try {
            target = Device.select(device);
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(false, device + " is not available here: " + e.getMessage());
            return;
        }
        RandomGemmaFile spec = LlamaCppAgreementTest.shape(shape, GgufTensorType.BF16);
        Path file = dir.resolve(shape + "-BF16.gguf");
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
            assertThat(model.weights().bytesByType()).as("weight types").containsKey(GgufTensorType.BF16);
            actual = decoder.prefillAll(ids);
            ours = new Generator(decoder, model.tokenizer(), model.endTokens())
                    .generate(ids, CONTINUATION, SamplingSettings.greedyDecoding(), s -> { });
        }
        double nmse = ReferenceAgreement.nmse(actual, expected);
        int sameTop = ReferenceAgreement.sameTop1(actual, expected);
        int agree = 0;
        while (agree < Math.min(ours.ids().length, expectedGreedy.length) && ours.ids()[agree] == expectedGreedy[agree]) {
            agree++;
        }
        System.out.printf("agreement %s %s BF16: nmse %.3e, top-1 %d/%d, greedy %d/%d%n", device, shape, nmse,
                sameTop, PROMPT, agree, expectedGreedy.length);
        assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(NMSE);
        assertThat(sameTop).as("positions with the same top-1 token").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * PROMPT));
    }
}
