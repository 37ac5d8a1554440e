package io.tessera.pipeline.vision;

import io.tessera.pipeline.audio.encoder.AudioProjectorType;

/**
 * How one kind of medium sits in the token sequence, as llama.cpp mtmd lays it out for a
 * projector type (mtmd.cpp {@code img_beg}/{@code img_end}, {@code aud_beg}/{@code aud_end},
 * {@code mtmd_decode_use_non_causal}): the marker tokens before and after the soft tokens, whether
 * a {@code \n\n} goes on each side (the Gemma 3 processor writes it; mtmd does not, so a prompt for
 * mtmd carries it in its text), and whether the decoder attends within the block in both
 * directions.
 *
 * @param open          text of the marker token before the soft tokens; the chat template writes it where the medium goes
 * @param close         text of the marker token after them
 * @param blankLines    a {@code \n\n} before {@code open} and after {@code close}
 * @param bidirectional the soft tokens see each other in both directions
 */
public record MediaWrap(String open, String close, boolean blankLines, boolean bidirectional) {
    /** Gemma 3 images: {@code \n\n<start_of_image>} soft tokens {@code <end_of_image>\n\n}, bidirectional (spec/MODELS.md §2.5). */
    public static final MediaWrap GEMMA3_IMAGE = new MediaWrap("<start_of_image>", "<end_of_image>", true, true);
    /**
     * Gemma 4 audio: {@code <|audio>} soft tokens {@code <audio|>} (spec/MODELS.md §4.2), decoded
     * causally: mtmd_decode_use_non_causal is false for the gemma4a and gemma4ua projectors.
     */
    public static final MediaWrap GEMMA4_AUDIO = new MediaWrap("<|audio>", "<audio|>", false, false);

    public MediaWrap {
        if (open == null || open.isEmpty() || close == null || close.isEmpty()) {
            throw new IllegalArgumentException("a media wrap needs open and close markers");
        }
    }

    /** The layout of images for a vision projector. */
    public static MediaWrap forVision(ProjectorType type) {
        return switch (type) {
            case GEMMA3 -> GEMMA3_IMAGE;
        };
    }

    /** The layout of audio for an audio projector. */
    public static MediaWrap forAudio(AudioProjectorType type) {
        return switch (type) {
            case GEMMA4UA, GEMMA4A -> GEMMA4_AUDIO;
        };
    }
}
