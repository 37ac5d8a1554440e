package io.tessera.pipeline.vision;

import java.util.List;

/**
 * A prompt as the decoder takes it: chunks in order, and how many images and audio chunks they
 * refer to.
 *
 * @param chunks        text, image and audio chunks, in sequence order
 * @param images        images the image chunks number 0..images-1
 * @param audioSegments audio chunks the audio chunks number 0..audioSegments-1
 */
public record InterleavedPrompt(List<PromptChunk> chunks, int images, int audioSegments) {
    public InterleavedPrompt {
        chunks = List.copyOf(chunks);
    }

    /** A prompt without audio. */
    public InterleavedPrompt(List<PromptChunk> chunks, int images) {
        this(chunks, images, 0);
    }

    /** Positions of the whole prompt. */
    public int positions() {
        return chunks.stream().mapToInt(PromptChunk::positions).sum();
    }

    /** Soft-token positions of the audio chunks. */
    public int audioPositions() {
        return chunks.stream().filter(c -> c instanceof PromptChunk.Audio).mapToInt(PromptChunk::positions).sum();
    }

    /** Soft-token positions of the image chunks. */
    public int imagePositions() {
        return chunks.stream().filter(c -> c instanceof PromptChunk.Image).mapToInt(PromptChunk::positions).sum();
    }

    /**
     * The prompt as token ids with {@code placeholder} at every soft-token position (the form of
     * the HF processor's {@code input_ids}, with the image soft token as placeholder).
     */
    public int[] ids(int placeholder) {
        return ids(placeholder, placeholder);
    }

    /** As {@link #ids(int)}, with {@code audioPlaceholder} at audio soft-token positions. */
    public int[] ids(int imagePlaceholder, int audioPlaceholder) {
        int[] ids = new int[positions()];
        int at = 0;
        for (PromptChunk c : chunks) {
            switch (c) {
                case PromptChunk.Text t -> {
                    int[] tokens = t.tokens();
                    System.arraycopy(tokens, 0, ids, at, tokens.length);
                    at += tokens.length;
                }
                case PromptChunk.Image i -> {
                    java.util.Arrays.fill(ids, at, at + i.tokens(), imagePlaceholder);
                    at += i.tokens();
                }
                case PromptChunk.Audio a -> {
                    java.util.Arrays.fill(ids, at, at + a.tokens(), audioPlaceholder);
                    at += a.tokens();
                }
            }
        }
        return ids;
    }
}
