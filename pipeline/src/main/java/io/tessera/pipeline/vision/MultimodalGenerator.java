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
 * cache grows chunk by chunk (text tiles causally, each image as one bidirectional block of
 * embeddings, fetched only when its turn comes), then tokens are sampled as by
 * {@link io.tessera.pipeline.generate.Generator}.
 */
public final class MultimodalGenerator {
    private final Decoder decoder;
    private final Tokenizer tokenizer;
    private final List<Integer> endTokens;
    /** The id that stands for a soft token in the history the sampler's penalties read. */
    private final int placeholder;

    public MultimodalGenerator(Decoder decoder, Tokenizer tokenizer, List<Integer> endTokens) {
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.endTokens = List.copyOf(endTokens);
        this.placeholder = tokenizer.marker(Marker.IMAGE_SOFT_TOKEN).orElse(tokenizer.specialIds().padding());
    }

    /**
     * Prefills {@code prompt} from position 0 and returns the logits after it; {@code embeddings}
     * gives image i's soft tokens, (tokens, width) row-major, when its chunk is reached.
     */
    public float[] prefill(InterleavedPrompt prompt, IntFunction<float[]> embeddings) {
        if (prompt.positions() > decoder.contextLength()) {
            throw new PromptException("a prompt of " + prompt.positions() + " positions (" + prompt.images()
                    + " images included) does not fit in the context of " + decoder.contextLength() + " tokens");
        }
        decoder.reset();
        float[] logits = null;
        for (PromptChunk c : prompt.chunks()) {
            logits = switch (c) {
                case PromptChunk.Text t -> decoder.prefill(t.tokens());
                case PromptChunk.Image i -> decoder.prefillEmbeddings(embeddings.apply(i.image()), i.tokens(), true);
            };
        }
        if (logits == null) {
            throw new PromptException("the prompt is empty");
        }
        return logits;
    }

    /** Generates up to {@code maxTokens} tokens after {@code prompt}, streaming text to {@code onText}. */
    public Generation generate(InterleavedPrompt prompt, IntFunction<float[]> embeddings, int maxTokens,
                               SamplingSettings settings, Consumer<String> onText) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("the token limit must not be negative, not " + maxTokens);
        }
        long start = System.nanoTime();
        float[] logits = prefill(prompt, embeddings);
        double prefill = (System.nanoTime() - start) / 1e9;
        int[] promptIds = prompt.ids(placeholder);
        int limit = Math.min(maxTokens, decoder.contextLength() - promptIds.length + 1);
        return new Generator(decoder, tokenizer, endTokens).continueAfter(promptIds, logits, prefill, limit, settings,
                onText);
    }
}
