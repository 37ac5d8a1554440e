package io.tessera.pipeline.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tokenizer.TokenizerFormatException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF vocabularies whose arrays disagree in length fail with the file, the keys and both lengths. */
class GgufVocabularyErrorsTest {
    @TempDir
    Path dir;

    /** A vocabulary GGUF with the given arrays; null leaves an array out. */
    static Path vocabGguf(Path file, String[] tokens, float[] scores, long[] types) throws Exception {
        GgufWriter w = new GgufWriter().putString(GgufKeys.TOKENIZER_MODEL, "llama")
                .putStrings(GgufKeys.TOKENIZER_TOKENS, tokens);
        if (scores != null) {
            w.putFloats(GgufKeys.TOKENIZER_SCORES, scores);
        }
        if (types != null) {
            w.putInts(GgufKeys.TOKENIZER_TOKEN_TYPE, GgufValueType.INT32, types);
        }
        w.write(file);
        return file;
    }

    private static final String[] TOKENS = {"<unk>", "<s>", "</s>", "\u2581", "a", "\u2581a"};

    @Test
    void consistentArraysLoad() throws Exception {
        Path ok = vocabGguf(dir.resolve("ok.gguf"), TOKENS, new float[6], new long[] {2, 3, 3, 1, 1, 1});
        assertThat(ModelTokenizers.load(ok).encode("a", false, false)).containsExactly(5);
    }

    @Test
    void scoresShorterThanTokens() throws Exception {
        Path file = vocabGguf(dir.resolve("scores.gguf"), TOKENS, new float[4], new long[] {2, 3, 3, 1, 1, 1});
        assertThatThrownBy(() -> ModelTokenizers.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(file + ": tokenizer.ggml.scores has 4 entries for 6 tokens (tokenizer.ggml.tokens)");
    }

    @Test
    void tokenTypesLongerThanTokens() throws Exception {
        Path file = vocabGguf(dir.resolve("types.gguf"), TOKENS, new float[6], new long[] {2, 3, 3, 1, 1, 1, 1});
        assertThatThrownBy(() -> ModelTokenizers.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(file + ": tokenizer.ggml.token_type has 7 entries for 6 tokens (tokenizer.ggml.tokens)");
    }
}
