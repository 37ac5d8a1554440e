package io.tessera.pipeline.vision;

/**
 * One piece of an interleaved prompt (llama.cpp mtmd's {@code mtmd_input_chunk}): text tokens, the
 * soft tokens of one image, or the soft tokens of one chunk of an audio clip; the decoder takes
 * soft tokens as embeddings, with the attention rule of their {@link MediaWrap} (spec/MODELS.md §1.3).
 */
public sealed interface PromptChunk {
    /** Positions the chunk takes in the sequence. */
    int positions();

    /** Text tokens, including the media markers and the {@code \n\n} around Gemma 3 images. */
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
     * The soft tokens of image {@code image} (its index among the prompt's images, in order); their
     * number may differ from image to image.
     *
     * @param image         index of the image in the prompt
     * @param tokens        soft tokens
     * @param width         embedding width
     * @param bidirectional the block attends to itself in both directions
     */
    record Image(int image, int tokens, int width, boolean bidirectional) implements PromptChunk {
        /** A bidirectional image block (Gemma 3). */
        public Image(int image, int tokens, int width) {
            this(image, tokens, width, true);
        }

        @Override
        public int positions() {
            return tokens;
        }
    }

    /**
     * The soft tokens of one encoder chunk of an audio clip (clips longer than the encoder's chunk
     * are several consecutive chunks between one pair of markers, as in mtmd), decoded causally.
     *
     * @param segment index of the chunk among all the prompt's audio chunks, in order
     * @param clip    index of its clip among the prompt's audio clips
     * @param tokens  soft tokens
     * @param width   embedding width
     */
    record Audio(int segment, int clip, int tokens, int width) implements PromptChunk {
        @Override
        public int positions() {
            return tokens;
        }
    }
}
