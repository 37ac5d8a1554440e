package io.tessera.pipeline.vision;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tokenizer.Marker;
import io.tessera.tokenizer.Tokenizer;

/**
 * The generation loop for an interleaved prompt: the chunks are prefilled in order, so the KV
 * cache grows chunk by chunk (text tiles causally, each image as one block of embeddings with its
 * attention rule, each audio chunk causally as mtmd decodes Gemma 4 audio, fetched only when its
 * turn comes), then tokens are sampled as by {@link io.tessera.pipeline.generate.Generator}.
 */
public final class MultimodalGenerator {
    private final Decoder decoder;
    private final Tokenizer tokenizer;
    private final List<Integer> endTokens;
    /** The ids that stand for a soft token in the history the sampler's penalties read. */
    private final int placeholder;
    private final int audioPlaceholder;

    public MultimodalGenerator(Decoder decoder, Tokenizer tokenizer, List<Integer> endTokens) {
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.endTokens = List.copyOf(endTokens);
        this.placeholder = tokenizer.marker(Marker.IMAGE_SOFT_TOKEN).orElse(tokenizer.specialIds().padding());
        this.audioPlaceholder = tokenizer.marker(Marker.AUDIO_PLACEHOLDER)
                .orElse(tokenizer.marker(Marker.AUDIO_SOFT_TOKEN).orElse(placeholder));
    }

    /**
     * Prefills {@code prompt} from position 0 and returns the logits after it; {@code embeddings}
     * gives image i's soft tokens, (tokens, width) row-major, when its chunk is reached.
     */
    public float[] prefill(InterleavedPrompt prompt, IntFunction<float[]> embeddings) {
        return prefill(prompt, embeddings, noAudio());
    }

    /**
     * As {@link #prefill(InterleavedPrompt, IntFunction)}; {@code audio} gives audio chunk s's soft
     * tokens (its {@link PromptChunk.Audio#segment()}), (tokens, width) row-major, when reached.
     */
    public float[] prefill(InterleavedPrompt prompt, IntFunction<float[]> embeddings, IntFunction<float[]> audio) {
        if (prompt.positions() > decoder.contextLength()) {
            throw new PromptException("a prompt of " + prompt.positions() + " positions (" + prompt.images()
                    + " images of " + prompt.imagePositions() + " soft tokens and " + prompt.audioSegments()
                    + " audio chunks of " + prompt.audioPositions() + " included) does not fit in the context of "
                    + decoder.contextLength() + " tokens");
        }
        decoder.reset();
        float[] logits = null;
        for (PromptChunk c : prompt.chunks()) {
            logits = switch (c) {
                case PromptChunk.Text t -> decoder.prefill(t.tokens());
                case PromptChunk.Image i -> decoder.prefillEmbeddings(embeddings.apply(i.image()), i.tokens(),
                        i.bidirectional());
                case PromptChunk.Audio a -> causal(audio.apply(a.segment()), a.tokens());
            };
        }
        if (logits == null) {
            throw new PromptException("the prompt is empty");
        }
        return logits;
    }

    /**
     * As {@link #prefill(InterleavedPrompt, IntFunction, IntFunction)}, with the logits after
     * every position: every text position has its row (the decoder must keep all logits); a media
     * block has its row at its last position only, the others are null.
     */
    public float[][] prefillAll(InterleavedPrompt prompt, IntFunction<float[]> embeddings, IntFunction<float[]> audio) {
        if (prompt.positions() > decoder.contextLength()) {
            throw new PromptException("a prompt of " + prompt.positions() + " positions does not fit in the context of "
                    + decoder.contextLength() + " tokens");
        }
        decoder.reset();
        float[][] out = new float[prompt.positions()][];
        int at = 0;
        for (PromptChunk c : prompt.chunks()) {
            switch (c) {
                case PromptChunk.Text t -> {
                    float[][] rows = decoder.prefillAll(t.tokens());
                    System.arraycopy(rows, 0, out, at, rows.length);
                }
                case PromptChunk.Image i -> out[at + i.tokens() - 1] = decoder.prefillEmbeddings(
                        embeddings.apply(i.image()), i.tokens(), i.bidirectional());
                case PromptChunk.Audio a -> out[at + a.tokens() - 1] = causal(audio.apply(a.segment()), a.tokens());
            }
            at += c.positions();
        }
        return out;
    }

    /** Causal rows in pieces of at most one prefill tile: the same attention as one block. */
    private float[] causal(float[] rows, int count) {
        int hidden = rows.length / count;
        float[] logits = null;
        for (int start = 0; start < count; start += decoder.tile()) {
            int n = Math.min(decoder.tile(), count - start);
            float[] piece = start == 0 && n == count ? rows
                    : java.util.Arrays.copyOfRange(rows, start * hidden, (start + n) * hidden);
            logits = decoder.prefillEmbeddings(piece, n, false);
        }
        return logits;
    }

    private static IntFunction<float[]> noAudio() {
        return s -> {
            throw new IllegalStateException("the prompt has audio but no audio embeddings were given");
        };
    }

    /** Generates up to {@code maxTokens} tokens after {@code prompt}, streaming text to {@code onText}. */
    public Generation generate(InterleavedPrompt prompt, IntFunction<float[]> embeddings, int maxTokens,
                               SamplingSettings settings, Consumer<String> onText) {
        return generate(prompt, embeddings, noAudio(), maxTokens, settings, onText);
    }

    /** As {@link #generate(InterleavedPrompt, IntFunction, int, SamplingSettings, Consumer)}, with audio chunks. */
    public Generation generate(InterleavedPrompt prompt, IntFunction<float[]> embeddings, IntFunction<float[]> audio,
                               int maxTokens, SamplingSettings settings, Consumer<String> onText) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("the token limit must not be negative, not " + maxTokens);
        }
        long start = System.nanoTime();
        float[] logits = prefill(prompt, embeddings, audio);
        double prefill = (System.nanoTime() - start) / 1e9;
        int[] promptIds = prompt.ids(placeholder, audioPlaceholder);
        int limit = Math.min(maxTokens, decoder.contextLength() - promptIds.length + 1);
        return new Generator(decoder, tokenizer, endTokens).continueAfter(promptIds, logits, prefill, limit, settings,
                onText);
    }
}
