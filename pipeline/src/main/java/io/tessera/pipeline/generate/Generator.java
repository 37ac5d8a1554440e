package io.tessera.pipeline.generate;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.tessera.pipeline.sample.Sampler;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tokenizer.StreamingDecoder;
import io.tessera.tokenizer.Tokenizer;

/**
 * The generation loop: prefill the prompt, then sample a token, stream its text, decode it, until
 * an end token or the token limit. Sampling and prompting live elsewhere ({@link Sampler},
 * {@link io.tessera.tokenizer.ChatTemplate}); this class only drives the decoder.
 */
public final class Generator {
    private final Decoder decoder;
    private final Tokenizer tokenizer;
    private final List<Integer> endTokens;

    public Generator(Decoder decoder, Tokenizer tokenizer, List<Integer> endTokens) {
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.endTokens = List.copyOf(endTokens);
    }

    /**
     * Generates up to {@code maxTokens} tokens after {@code prompt}, from position 0, handing each
     * piece of text to {@code onText} as soon as it is complete UTF-8.
     */
    public Generation generate(int[] prompt, int maxTokens, SamplingSettings settings, Consumer<String> onText) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("the token limit must not be negative, not " + maxTokens);
        }
        decoder.reset();
        int room = decoder.contextLength() - prompt.length;
        if (room < 0) {
            throw new PromptException("a prompt of " + prompt.length + " tokens does not fit in the context of "
                    + decoder.contextLength() + " tokens");
        }
        long start = System.nanoTime();
        float[] logits = decoder.prefill(prompt);
        double prefill = (System.nanoTime() - start) / 1e9;
        return continueAfter(prompt, logits, prefill, Math.min(maxTokens, room + 1), settings, onText);
    }

    /**
     * The sampling loop after a prefill that left {@code logits}: samples up to {@code limit} tokens
     * (the last one is not decoded), stopping at an end token. {@code promptIds} is the history the
     * sampler's penalties see.
     */
    public Generation continueAfter(int[] promptIds, float[] logits, double prefillSeconds, int limit,
                                    SamplingSettings settings, Consumer<String> onText) {
        Sampler sampler = new Sampler(settings);
        int[] history = Arrays.copyOf(promptIds, promptIds.length + limit);
        int length = promptIds.length;
        StreamingDecoder text = tokenizer.streamingDecoder(true);
        StringBuilder all = new StringBuilder();
        int steps = 0;
        long decodeNanos = 0;
        boolean ended = false;
        for (int n = 0; n < limit; n++) {
            int id = sampler.sample(logits, history, length);
            history[length++] = id;
            if (endTokens.contains(id)) {
                ended = true;
                break;
            }
            emit(text.accept(id), all, onText);
            if (n + 1 == limit) {
                break;
            }
            long t0 = System.nanoTime();
            logits = decoder.decode(id);
            decodeNanos += System.nanoTime() - t0;
            steps++;
        }
        emit(text.finish(), all, onText);
        return new Generation(promptIds.clone(), Arrays.copyOfRange(history, promptIds.length, length), all.toString(),
                ended, prefillSeconds, steps, decodeNanos / 1e9);
    }

    private static void emit(String piece, StringBuilder all, Consumer<String> onText) {
        if (piece != null && !piece.isEmpty()) {
            all.append(piece);
            onText.accept(piece);
        }
    }
}
