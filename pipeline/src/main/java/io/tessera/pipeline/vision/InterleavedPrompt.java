package io.tessera.pipeline.vision;

import java.util.List;

/**
 * A prompt as the decoder takes it: chunks in order, and how many images they refer to.
 *
 * @param chunks text and image chunks, in sequence order
 * @param images images the image chunks number 0..images-1
 */
public record InterleavedPrompt(List<PromptChunk> chunks, int images) {
    public InterleavedPrompt {
        chunks = List.copyOf(chunks);
    }

    /** Positions of the whole prompt. */
    public int positions() {
        return chunks.stream().mapToInt(PromptChunk::positions).sum();
    }

    /**
     * The prompt as token ids with {@code placeholder} at every soft-token position (the form of
     * the HF processor's {@code input_ids}, with the image soft token as placeholder).
     */
    public int[] ids(int placeholder) {
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
                    java.util.Arrays.fill(ids, at, at + i.tokens(), placeholder);
                    at += i.tokens();
                }
            }
        }
        return ids;
    }
}
