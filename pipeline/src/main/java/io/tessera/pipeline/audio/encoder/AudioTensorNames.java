package io.tessera.pipeline.audio.encoder;

/** Tensor names of the audio part of an mmproj file (llama.cpp clip-impl.h {@code TN_A_*}), defined once. */
public final class AudioTensorNames {
    /** gemma4ua and gemma4a: the projection into the text width, ggml [in, E]. */
    public static final String MM_A_INPUT_PROJECTION = "mm.a.input_projection.weight";

    private AudioTensorNames() {
    }
}
