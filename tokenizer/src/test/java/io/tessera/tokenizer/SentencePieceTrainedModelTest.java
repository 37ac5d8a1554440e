package io.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * SentencePiece BPE models with byte fallback, trained here by SentencePiece itself (Debian's
 * {@code python3-sentencepiece}, always through {@code /usr/bin/python3}) on generated text, then
 * encoded by SentencePiece and by our reader of the same {@code tokenizer.model}: the ids must be
 * identical on every text of the corpus, and so must the decoded text.
 */
@Tag("reference")
class SentencePieceTrainedModelTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /**
     * Trainer options per model: SentencePiece's defaults (dummy prefix, extra whitespace removed),
     * with and without user-defined symbols, and the Gemma choices (no dummy prefix, whitespace kept).
     */
    private static Map<String, Map<String, Object>> models() {
        Map<String, Object> common = Map.of("model_type", "bpe", "vocab_size", 1500, "byte_fallback", true,
                "normalization_rule_name", "identity");
        Map<String, Map<String, Object>> models = new LinkedHashMap<>();
        Map<String, Object> defaults = new LinkedHashMap<>(common);
        models.put("spm-defaults", defaults);
        Map<String, Object> userSymbols = new LinkedHashMap<>(common);
        userSymbols.put("user_defined_symbols", List.of("<start_of_turn>", "<end_of_turn>", "<br>"));
        models.put("spm-defaults-user-symbols", userSymbols);
        Map<String, Object> gemmaLike = new LinkedHashMap<>(common);
        gemmaLike.put("add_dummy_prefix", false);
        gemmaLike.put("remove_extra_whitespaces", false);
        gemmaLike.put("split_digits", true);
        gemmaLike.put("allow_whitespace_only_pieces", true);
        gemmaLike.put("user_defined_symbols", List.of("<start_of_turn>", "<end_of_turn>", "\n", "\t"));
        models.put("gemma-like", gemmaLike);
        return models;
    }

    private static void assumeSentencePiece() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing (Debian python3 with python3-sentencepiece)");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import sentencepiece").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(p.waitFor() == 0, "python3-sentencepiece is not installed for " + PYTHON + ": " + out);
    }

    @Test
    void trainedModelsEncodeLikeSentencePiece(@TempDir Path dir) throws Exception {
        assumeSentencePiece();
        List<String> texts = Corpus.texts();
        String training = References.node("corpus.js", List.of("--training", "400000"), List.of()).stringValue();
        List<Map<String, Object>> requested = new ArrayList<>();
        models().forEach((name, options) -> requested.add(Map.of("name", name, "options", options)));
        JsonNode result = References.run(List.of(PYTHON.toString(),
                References.moduleDir().resolve("src/test/python/sentencepiece-reference.py").toString(), dir.toString()),
                Map.of("training_text", training, "models", requested, "texts", texts));

        List<String> mismatches = new ArrayList<>();
        for (String name : models().keySet()) {
            JsonNode model = result.get(name);
            Tokenizer ours = Tokenizer.load(Path.of(model.get("model").stringValue()));
            assertThat(ours.vocabulary().size()).isEqualTo(1500);
            long tokens = 0;
            int modelMismatches = 0;
            for (int i = 0; i < texts.size(); i++) {
                int[] expected = ids(model.get("ids").get(i));
                int[] actual = ours.encode(texts.get(i), false, false);
                tokens += expected.length;
                if (!Arrays.equals(expected, actual)) {
                    modelMismatches++;
                    mismatches.add(name + " text " + i + " " + Gemma3ReferenceTest.abbreviate(texts.get(i))
                            + "\n  sentencepiece " + Gemma3ReferenceTest.abbreviate(Arrays.toString(expected))
                            + "\n  ours          " + Gemma3ReferenceTest.abbreviate(Arrays.toString(actual)));
                } else {
                    assertThat(ours.decode(expected)).as("%s decode of text %d", name, i)
                            .isEqualTo(model.get("decoded").get(i).stringValue());
                }
            }
            System.out.printf("tokenizer.model %s (%d pieces) vs sentencepiece: %d texts, %d tokens, %d mismatching texts%n",
                    name, ours.vocabulary().size(), texts.size(), tokens, modelMismatches);
        }
        mismatches.stream().limit(20).forEach(System.out::println);
        assertThat(mismatches).isEmpty();
    }

    private static int[] ids(JsonNode node) {
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = node.get(i).intValue();
        }
        return ids;
    }
}
