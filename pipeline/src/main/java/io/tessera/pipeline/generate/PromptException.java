package io.tessera.pipeline.generate;

/** A prompt the model cannot take: longer than the context, or a token id outside the vocabulary. */
public final class PromptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PromptException(String message) {
        super(message);
    }
}
