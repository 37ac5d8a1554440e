package io.tessera.pipeline.audio.encoder;

import io.tessera.pipeline.generate.PromptException;
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
    /** 30 s at 16 kHz: the chunk of mtmd's gemma4a preprocessor (750 soft tokens at 25 per second). */
    long THIRTY_SECONDS = 30L * 16_000;

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

    /**
     * Token counts of the chunks a clip of {@code samples} samples is encoded in: one per
     * {@link #chunkSamples()} samples, the last one shorter. A clip of no samples is a
     * {@link PromptException}, as in mtmd ("empty audio data").
     */
    default int[] chunkTokens(long samples) {
        return chunkTokens(samples, chunkSamples(), this::tokens);
    }

    /**
     * The chunk layout of a clip of {@code samples} samples cut every {@code chunkSamples}
     * (mtmd-audio.cpp cuts gemma4a input every 30 s, {@link #THIRTY_SECONDS}), each chunk's token
     * count from {@code tokens}.
     */
    static int[] chunkTokens(long samples, long chunkSamples, java.util.function.LongToIntFunction tokens) {
        if (samples <= 0) {
            throw new PromptException("an audio clip of " + samples + " samples cannot be encoded: it has no audio");
        }
        if (chunkSamples <= 0) {
            throw new IllegalArgumentException("chunks must hold samples, not " + chunkSamples);
        }
        long n = samples / chunkSamples + (samples % chunkSamples != 0 ? 1 : 0);
        if (n > Integer.MAX_VALUE) {
            throw new PromptException("an audio clip of " + samples + " samples is too long");
        }
        int[] out = new int[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = tokens.applyAsInt(Math.min(chunkSamples, samples - i * chunkSamples));
        }
        return out;
    }

    /** The samples of chunk {@code i} of {@code pcm} (see {@link #chunkTokens}). */
    default float[] chunk(float[] pcm, int i) {
        long chunk = chunkSamples();
        if (i < 0 || i > (pcm.length - 1) / chunk) {
            throw new IndexOutOfBoundsException("chunk " + i + " of a clip of " + pcm.length + " samples");
        }
        long from = i * chunk;
        return java.util.Arrays.copyOfRange(pcm, (int) from, (int) Math.min(pcm.length, from + chunk));
    }

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
