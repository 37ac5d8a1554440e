package io.tessera.pipeline.audio.encoder;

import io.tessera.pipeline.vision.Mmproj;
import io.tessera.tasks.api.Device;

/**
 * The seam between the interleaver and an audio encoder (llama.cpp mtmd: audio preprocessor +
 * clip graph of one {@code clip.audio.projector_type}): 16 kHz mono float samples in, soft tokens
 * of the text model's width out. The interleaver asks {@link #tokens} to lay out the prompt
 * before anything is encoded, and splits clips longer than {@link #chunkSamples()} into chunks of
 * that many samples, each encoded on its own, as mtmd's preprocessors do.
 */
public sealed interface AudioEncoder extends AutoCloseable permits Gemma4uaEncoder, Gemma4aEncoder {
    /** What the audio part of the mmproj file is. */
    AudioConfig config();

    /** Width of a soft token: the text model's hidden size. */
    int width();

    /** Soft tokens of a chunk of {@code samples} samples (1 ≤ samples ≤ {@link #chunkSamples()}). */
    int tokens(long samples);

    /** The most samples one chunk holds; {@link Long#MAX_VALUE} when clips are never split. */
    long chunkSamples();

    /** Encodes one chunk of 16 kHz mono samples into (tokens(pcm.length), width) row-major soft tokens. */
    float[] encode(float[] pcm16k);

    @Override
    void close();

    /** The encoder of {@code mmproj}'s audio part on {@code device}. */
    static AudioEncoder open(Mmproj mmproj, Device device) {
        AudioConfig c = mmproj.audio();
        return switch (c.projector()) {
            case GEMMA4UA -> new Gemma4uaEncoder(mmproj, device);
            case GEMMA4A -> new Gemma4aEncoder(mmproj, device, Gemma4aEncoder.Options.none());
        };
    }
}
