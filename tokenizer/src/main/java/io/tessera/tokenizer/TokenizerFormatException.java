package io.tessera.tokenizer;

/**
 * A tokenizer file (GGUF vocabulary, {@code tokenizer.json} or {@code tokenizer.model}) is malformed
 * or uses a feature this tokenizer does not implement. The message names the file and the problem.
 */
public final class TokenizerFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokenizerFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    public TokenizerFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
