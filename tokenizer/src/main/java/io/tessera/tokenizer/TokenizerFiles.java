package io.tessera.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens tokenizer files by content: Hugging Face {@code tokenizer.json} or SentencePiece {@code tokenizer.model}. */
public final class TokenizerFiles {
    /** What a file holds, judged by its first bytes. */
    public enum Kind { TOKENIZER_JSON, SENTENCEPIECE_MODEL, GGUF, UNKNOWN }

    private TokenizerFiles() {
    }

    /** Judges a file by its first bytes (never by its name). */
    public static Kind detect(byte[] head, int length) {
        if (length >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
            return Kind.GGUF;
        }
        for (int i = 0; i < length; i++) {
            byte b = head[i];
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            }
            if (b == '{') {
                return Kind.TOKENIZER_JSON;
            }
            break;
        }
        // ModelProto starts with field 1 (pieces, length-delimited), whose first field is 1 (piece).
        if (length >= 4 && head[0] == 0x0A && (head[2] == 0x0A || (head[1] < 0 && head[3] == 0x0A)
                || (head[1] < 0 && head[2] < 0 && length > 4 && head[4] == 0x0A))) {
            return Kind.SENTENCEPIECE_MODEL;
        }
        return Kind.UNKNOWN;
    }

    public static Kind detect(Path file) {
        byte[] head = new byte[64];
        try (var in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            return detect(head, n);
        } catch (IOException e) {
            throw new TokenizerFormatException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a {@code tokenizer.json} or {@code tokenizer.model}. GGUF files hold the vocabulary in
     * their metadata: read them with the model-file reader and use {@link Tokenizer#fromMetadata}.
     */
    public static Tokenizer load(Path file) {
        String source = file.toString();
        return switch (detect(file)) {
            case TOKENIZER_JSON -> HfTokenizerJsonLoader.load(file);
            case SENTENCEPIECE_MODEL -> {
                try {
                    yield SentencePieceModelLoader.load(source, Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new TokenizerFormatException(source, "cannot read: " + e.getMessage(), e);
                }
            }
            case GGUF -> throw new TokenizerFormatException(source,
                    "is a GGUF model file; its vocabulary is read through the model-file reader");
            case UNKNOWN -> throw new TokenizerFormatException(source,
                    "is neither a tokenizer.json, a SentencePiece tokenizer.model nor a GGUF file");
        };
    }
}
