package io.tessera.tokenizer;

/**
 * Marker tokens of the Gemma family, named once and looked up by text in a vocabulary
 * ({@link Tokenizer#marker}). Which ones a vocabulary has depends on the model (spec/MODELS.md).
 */
public enum Marker {
    PAD("<pad>"),
    EOS("<eos>"),
    BOS("<bos>"),
    UNK("<unk>"),
    /** Gemma 1–3 turn markers. */
    START_OF_TURN("<start_of_turn>"),
    END_OF_TURN("<end_of_turn>"),
    /** Gemma 3 and 3n image markers (ids differ between them: look them up). */
    START_OF_IMAGE("<start_of_image>"),
    END_OF_IMAGE("<end_of_image>"),
    IMAGE_SOFT_TOKEN("<image_soft_token>"),
    /** Gemma 3n audio markers. */
    START_OF_AUDIO("<start_of_audio>"),
    END_OF_AUDIO("<end_of_audio>"),
    AUDIO_SOFT_TOKEN("<audio_soft_token>"),
    /** PaliGemma image placeholder (id 257152). */
    PALIGEMMA_IMAGE("<image>"),
    /** Gemma 4 turn markers. */
    TURN_OPEN("<|turn>"),
    TURN_CLOSE("<turn|>"),
    /** Gemma 4 image markers: begin, placeholder, end. */
    IMAGE_OPEN("<|image>"),
    IMAGE_PLACEHOLDER("<|image|>"),
    IMAGE_CLOSE("<image|>"),
    /** Gemma 4 audio markers: begin, placeholder, end. */
    AUDIO_OPEN("<|audio>"),
    AUDIO_PLACEHOLDER("<|audio|>"),
    AUDIO_CLOSE("<audio|>"),
    /** Gemma 4 video-frame placeholder. */
    VIDEO_PLACEHOLDER("<|video|>");

    private final String text;

    Marker(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
