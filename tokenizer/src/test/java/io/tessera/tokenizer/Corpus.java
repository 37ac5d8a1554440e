package io.tessera.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Varied text for comparing tokenizers (src/test/node/corpus.json, shared with the GGUF tests):
 * ASCII, whitespace runs, newlines, digits, punctuation, code, CJK, emoji, combining marks, Arabic
 * and other scripts, special-token text, characters the vocabulary lacks, control characters.
 */
final class Corpus {
    static final List<String> TEXTS = load();

    private Corpus() {
    }

    private static List<String> load() {
        try {
            return List.of(References.JSON.readValue(References.moduleDir().resolve("src/test/node/corpus.json").toFile(),
                    String[].class));
        } catch (tools.jackson.core.JacksonException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
