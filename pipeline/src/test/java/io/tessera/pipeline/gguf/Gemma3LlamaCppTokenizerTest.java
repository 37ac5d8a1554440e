package io.tessera.pipeline.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A GGUF vocabulary built from the real Gemma 3 tokenizer.json (tokens, scores, token types, as
 * llama.cpp's converter writes them) tokenized by llama.cpp ({@code llama_model_load_from_file}
 * with {@code vocab_only} and {@code llama_tokenize}, through node-llama-cpp) and by our
 * GGUF-loaded tokenizer: the ids must be identical, with and without special-token parsing.
 */
@Tag("reference")
class Gemma3LlamaCppTokenizerTest {

    /** Writes a vocabulary-only gemma3 GGUF: the tokenizer keys plus the hyper-parameters llama.cpp requires. */
    static void writeVocabGguf(SentencePieceVocab v, Path file) throws Exception {
        long[] types = new long[v.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = v.types()[i].code();
        }
        String arch = "gemma3";
        new GgufWriter()
                .putString(GgufKeys.ARCHITECTURE, arch)
                .putString(GgufKeys.NAME, "gemma3 vocabulary")
                .putUInt32(GgufKeys.contextLength(arch), 32768)
                .putUInt32(GgufKeys.embeddingLength(arch), 64)
                .putUInt32(GgufKeys.blockCount(arch), 1)
                .putUInt32(GgufKeys.feedForwardLength(arch), 128)
                .putUInt32(GgufKeys.headCount(arch), 2)
                .putUInt32(GgufKeys.headCountKv(arch), 1)
                .putUInt32(GgufKeys.keyLength(arch), 32)
                .putUInt32(GgufKeys.valueLength(arch), 32)
                .putFloat32(GgufKeys.rmsNormEpsilon(arch), 1e-6f)
                .putFloat32(GgufKeys.ropeFreqBase(arch), 1e6f)
                .putUInt32(GgufKeys.slidingWindow(arch), 512)
                .putString(GgufKeys.TOKENIZER_MODEL, "llama")
                .putString(GgufKeys.TOKENIZER_PRE, "default")
                .putStrings(GgufKeys.TOKENIZER_TOKENS, v.tokens())
                .putFloats(GgufKeys.TOKENIZER_SCORES, v.scores())
                .putInts(GgufKeys.TOKENIZER_TOKEN_TYPE, GgufValueType.INT32, types)
                .putUInt32(GgufKeys.TOKENIZER_BOS_ID, v.bosId())
                .putUInt32(GgufKeys.TOKENIZER_EOS_ID, v.eosId())
                .putUInt32(GgufKeys.TOKENIZER_UNKNOWN_ID, v.unknownId())
                .putUInt32(GgufKeys.TOKENIZER_PADDING_ID, v.paddingId())
                .putBool(GgufKeys.TOKENIZER_ADD_BOS, true)
                .putBool(GgufKeys.TOKENIZER_ADD_EOS, false)
                .putBool(GgufKeys.TOKENIZER_ADD_SPACE_PREFIX, false)
                .write(file);
    }

    private static int[] ids(JsonNode node) {
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = node.get(i).intValue();
        }
        return ids;
    }

    @Test
    void ggufVocabularyTokenizesLikeLlamaCpp(@TempDir Path dir) throws Exception {
        Path json = NpmReferences.gemma3TokenizerJson();
        Path gguf = dir.resolve("gemma3-vocab.gguf");
        writeVocabGguf(SentencePieceVocab.fromTokenizerJson(json), gguf);
        List<String> corpus = List.of(NpmReferences.JSON.readValue(NpmReferences.scripts().resolve("corpus.json").toFile(),
                String[].class));
        JsonNode llama = NpmReferences.node("llama-tokenize.js",
                List.of(NpmReferences.nodeModules().toString(), gguf.toString()), corpus);
        Tokenizer fromJson = Tokenizer.load(json);
        List<String> mismatches = new ArrayList<>();
        long tokens = 0;
        try (GgufFile file = GgufFile.open(gguf)) {
            Tokenizer ours = Tokenizer.fromMetadata(new GgufTokenizerMetadata(file.metadata()));
            assertThat(ours.addsBos()).isTrue();
            for (int i = 0; i < corpus.size(); i++) {
                String text = corpus.get(i);
                for (boolean special : new boolean[] {true, false}) {
                    int[] expected = ids(llama.get(i).get(special ? "special" : "plain"));
                    int[] actual = ours.encode(text, false, special);
                    tokens += expected.length;
                    if (!Arrays.equals(expected, actual)) {
                        mismatches.add("text " + i + (special ? " (special)" : " (plain)") + " "
                                + text.replace("\n", "\\n") + "\n  llama.cpp " + Arrays.toString(expected)
                                + "\n  ours      " + Arrays.toString(actual));
                    }
                }
                assertThat(ours.encode(text)).as("GGUF-loaded and tokenizer.json-loaded agree on text %d", i)
                        .containsExactly(fromJson.encode(text));
            }
        }
        System.out.printf("GGUF vocabulary vs llama.cpp: %d texts x 2 modes, %d tokens, %d mismatches%n",
                corpus.size(), tokens, mismatches.size());
        mismatches.forEach(System.out::println);
        assertThat(mismatches).isEmpty();
    }
}
