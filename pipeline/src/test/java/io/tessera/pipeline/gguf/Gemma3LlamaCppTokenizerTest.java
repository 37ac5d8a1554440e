package io.tessera.pipeline.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.TokenType;
import io.tessera.tokenizer.Tokenizer;
import io.tessera.tokenizer.TokenizerMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A GGUF vocabulary built from the real Gemma 3 tokenizer.json (tokens, scores, token types, as
 * llama.cpp's converter writes them) tokenized by llama.cpp ({@code llama_model_load_from_file}
 * with {@code vocab_only} and {@code llama_tokenize}, through node-llama-cpp) and by our
 * GGUF-loaded tokenizer: the ids must be identical, with and without special-token parsing, once
 * llama.cpp's retyping of some tokens by their text is applied ({@link #LLAMA_CPP_FORCED_CONTROL}).
 * Without it, the texts that differ must all be explained by that retyping.
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

    /**
     * Token texts that llama.cpp retypes as CONTROL whatever the file says: its vocabulary loader
     * (src/llama-vocab.cpp, the end-of-generation detection by text) forces every token in a fixed
     * list of texts to CONTROL. Of that list, Gemma 3's vocabulary holds {@code <end_of_turn>} and
     * {@code <eos>}, which are CONTROL anyway, and {@code </s>}, a user-defined token that
     * SentencePiece and Hugging Face tokenizers always match but llama.cpp then matches only when
     * special tokens are parsed.
     */
    static final Set<String> LLAMA_CPP_FORCED_CONTROL = Set.of("</s>");

    /** The metadata with llama.cpp's retyping applied, to tokenize as llama.cpp does from the same file. */
    record LlamaCppRetyped(TokenizerMetadata metadata) implements TokenizerMetadata {
        public String source() {
            return metadata.source();
        }

        public Optional<String> string(String key) {
            return metadata.string(key);
        }

        public Optional<String[]> stringArray(String key) {
            return metadata.stringArray(key);
        }

        public Optional<float[]> floatArray(String key) {
            return metadata.floatArray(key);
        }

        public Optional<int[]> intArray(String key) {
            Optional<int[]> values = metadata.intArray(key);
            if (!key.equals(GgufKeys.TOKENIZER_TOKEN_TYPE) || values.isEmpty()) {
                return values;
            }
            int[] types = values.get().clone();
            String[] tokens = metadata.stringArray(GgufKeys.TOKENIZER_TOKENS).orElseThrow();
            for (int i = 0; i < types.length; i++) {
                if (LLAMA_CPP_FORCED_CONTROL.contains(tokens[i])) {
                    types[i] = TokenType.CONTROL.code();
                }
            }
            return Optional.of(types);
        }

        public OptionalLong integer(String key) {
            return metadata.integer(key);
        }

        public Optional<Boolean> bool(String key) {
            return metadata.bool(key);
        }
    }

    @Test
    void ggufVocabularyTokenizesLikeLlamaCpp(@TempDir Path dir) throws Exception {
        Path json = NpmReferences.gemma3TokenizerJson();
        Path gguf = dir.resolve("gemma3-vocab.gguf");
        writeVocabGguf(SentencePieceVocab.fromTokenizerJson(json), gguf);
        List<String> corpus = NpmReferences.corpus();
        // llama.cpp runs in its own process while ours load.
        List<String> nodeArgs = List.of(NpmReferences.nodeModules().toString(), gguf.toString());
        CompletableFuture<JsonNode> llamaIds = CompletableFuture.supplyAsync(() -> {
            try {
                return NpmReferences.node("llama-tokenize.js", nodeArgs, corpus);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("llama-tokenize.js could not run", e);
            }
        });
        Tokenizer fromJson = Tokenizer.load(json);
        List<String> mismatches = new ArrayList<>();
        List<String> explained = new ArrayList<>();
        long tokens = 0;
        try (GgufFile file = GgufFile.open(gguf)) {
            TokenizerMetadata metadata = new GgufTokenizerMetadata(file.metadata());
            Tokenizer ours = Tokenizer.fromMetadata(metadata);
            Tokenizer retyped = Tokenizer.fromMetadata(new LlamaCppRetyped(metadata));
            assertThat(ours.addsBos()).isTrue();
            JsonNode llama = llamaIds.join();
            assertThat(llama.size()).isEqualTo(corpus.size());
            for (int i = 0; i < corpus.size(); i++) {
                String text = corpus.get(i);
                for (boolean special : new boolean[] {true, false}) {
                    int[] expected = ids(llama.get(i).get(special ? "special" : "plain"));
                    int[] actual = ours.encode(text, false, special);
                    tokens += expected.length;
                    String where = "text " + i + (special ? " (special)" : " (plain)") + " " + abbreviate(text);
                    if (!Arrays.equals(expected, retyped.encode(text, false, special))) {
                        mismatches.add(where + "\n  llama.cpp " + abbreviate(Arrays.toString(expected))
                                + "\n  ours      " + abbreviate(Arrays.toString(retyped.encode(text, false, special))));
                    } else if (!Arrays.equals(expected, actual)) {
                        explained.add(where);
                        assertThat(special).as("retyping matters only without special-token parsing: %s", where).isFalse();
                    }
                    assertThat(actual).as("GGUF-loaded and tokenizer.json-loaded agree on %s", where)
                            .containsExactly(fromJson.encode(text, false, special));
                }
            }
        }
        System.out.printf("GGUF vocabulary vs llama.cpp: %d texts x 2 modes, %d tokens, %d mismatches; "
                        + "%d texts differ as the file types them because llama.cpp retypes %s as CONTROL%n",
                corpus.size(), tokens, mismatches.size(), explained.size(), LLAMA_CPP_FORCED_CONTROL);
        mismatches.stream().limit(20).forEach(System.out::println);
        assertThat(mismatches).isEmpty();
    }

    private static String abbreviate(String s) {
        String escaped = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return escaped.length() <= 300 ? escaped : escaped.substring(0, 300) + "... (" + escaped.length() + " chars)";
    }
}
