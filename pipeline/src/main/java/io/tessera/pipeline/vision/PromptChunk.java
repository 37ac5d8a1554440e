package io.tessera.pipeline.vision;

/**
 * One piece of an interleaved prompt (llama.cpp mtmd's {@code mtmd_input_chunk}): text tokens, or
 * the soft tokens of one image, which the decoder takes as embeddings and attends to in both
 * directions within the block (spec/MODELS.md §1.3).
 */
public sealed interface PromptChunk {
    /** Positions the chunk takes in the sequence. */
    int positions();

    /** Text tokens, including the image markers and the {@code \n\n} around them. */
    record Text(int[] tokens) implements PromptChunk {
        public Text {
            tokens = tokens.clone();
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }

        @Override
        public int positions() {
            return tokens.length;
        }
    }

    /**
     * The soft tokens of image {@code image} (its index among the prompt's images, in order).
     *
     * @param image  index of the image in the prompt
     * @param tokens soft tokens
     * @param width  embedding width
     */
    record Image(int image, int tokens, int width) implements PromptChunk {
        @Override
        public int positions() {
            return tokens;
        }
    }
}
