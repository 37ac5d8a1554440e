package io.tessera.pipeline.gguf;

import io.tessera.tokenizer.Tokenizer;
import io.tessera.tokenizer.TokenizerFiles;
import java.nio.file.Path;

/** Opens the tokenizer of a model file or tokenizer file, whichever it is by content. */
public final class ModelTokenizers {
    private ModelTokenizers() {
    }

    /**
     * Loads the tokenizer of a GGUF model (its {@code tokenizer.ggml.*} metadata), a Hugging Face
     * {@code tokenizer.json} or a SentencePiece {@code tokenizer.model}.
     *
     * @throws GgufFormatException            for a malformed GGUF file
     * @throws io.tessera.tokenizer.TokenizerFormatException for a malformed or unsupported tokenizer
     */
    public static Tokenizer load(Path file) {
        if (TokenizerFiles.detect(file) == TokenizerFiles.Kind.GGUF) {
            try (GgufFile gguf = GgufFile.open(file)) {
                return Tokenizer.fromMetadata(new GgufTokenizerMetadata(gguf.metadata()));
            }
        }
        return TokenizerFiles.load(file);
    }
}
