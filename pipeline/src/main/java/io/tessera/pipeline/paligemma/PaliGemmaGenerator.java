package io.tessera.pipeline.paligemma;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.Weight;
import io.tessera.pipeline.sample.SamplingSettings;

/**
 * Generation with PaliGemma's prefix-LM (spec/MODELS.md §3): the prefix — the images' soft tokens,
 * {@code <bos>}, the prompt and the {@code "\n"} separator — is one block that attends to itself in
 * both directions (big_vision {@code mask_ar = 0}); the generated suffix is causal. The prefix is
 * prefilled as one bidirectional block of embeddings ({@link Decoder#prefillEmbeddings}, whose
 * attention rule {@code k <= p || blockStart <= k < blockEnd} is exactly big_vision's
 * {@code cumsum(mask_ar)[k] <= cumsum(mask_ar)[p]} for a block from position 0), so it must fit in
 * one prefill tile. Image rows enter unscaled, text rows as {@code E[id] * sqrt(hidden)}.
 */
public final class PaliGemmaGenerator {
    private final PaliGemma model;
    private final Decoder decoder;

    public PaliGemmaGenerator(PaliGemma model, Decoder decoder) {
        this.model = model;
        this.decoder = decoder;
    }

    /** Positions of a prefix with {@code images} images and {@code textIds} text tokens: the tile it needs. */
    public static int prefixLength(PaliGemmaConfig config, int images, int textIds) {
        return images * config.imageTokens() + textIds;
    }

    /** The prefix's embedding rows [positions][hidden]: each image's (tokens, hidden) rows as they are, then the text rows scaled. */
    public static float[] prefixEmbeddings(PaliGemma model, List<float[]> images, int[] textIds) {
        ModelConfig c = model.config().text();
        int hidden = c.hidden();
        int perImage = model.config().imageTokens() * hidden;
        int count = prefixLength(model.config(), images.size(), textIds.length);
        float[] rows = new float[count * hidden];
        int at = 0;
        for (int i = 0; i < images.size(); i++) {
            float[] e = images.get(i);
            if (e.length != perImage) {
                throw new IllegalArgumentException("image " + i + " has " + e.length + " values, not "
                        + model.config().imageTokens() + " soft tokens of width " + hidden);
            }
            System.arraycopy(e, 0, rows, at, perImage);
            at += perImage;
        }
        Weight table = model.weights().text().tokenEmbedding();
        for (int t = 0; t < textIds.length; t++) {
            int id = textIds[t];
            if (id < 0 || id >= c.vocab()) {
                throw new PromptException("token id " + id + " at prompt position " + t
                        + " is outside the vocabulary of " + c.vocab() + " tokens");
            }
            embeddingRow(table, id, c.embeddingScale(), rows, at);
            at += hidden;
        }
        return rows;
    }

    /** out[at..at+cols) = scale * W[row], read on the host (the prefix block goes to the device as embeddings). */
    static void embeddingRow(Weight w, int row, float scale, float[] out, int at) {
        long base = (long) row * w.cols();
        for (int j = 0; j < w.cols(); j++) {
            float v = switch (w) {
                case Weight.F32 f -> f.array().get(base + j);
                case Weight.F16 f -> f.array().get(base + j);
                case Weight.BF16 f -> f.array().get(base + j);
                default -> throw new IllegalArgumentException("embedding " + w.name() + " of type " + w.type()
                        + " cannot be read on the host");
            };
            out[at + j] = v * scale;
        }
    }

    /** Prefills the prefix from position 0 and returns the logits after its last position ({@code "\n"}). */
    public float[] prefill(List<float[]> imageEmbeddings, int[] textIds) {
        int count = prefixLength(model.config(), imageEmbeddings.size(), textIds.length);
        if (count > decoder.tile()) {
            throw new PromptException("a PaliGemma prefix of " + count + " positions does not fit in a prefill tile of "
                    + decoder.tile() + " (the prefix is one bidirectional block; use a tile of at least " + count + ")");
        }
        decoder.reset();
        return decoder.prefillEmbeddings(prefixEmbeddings(model, imageEmbeddings, textIds), count, true);
    }

    /** Generates up to {@code maxTokens} tokens of the suffix, streaming text to {@code onText}. */
    public Generation generate(List<float[]> imageEmbeddings, String prompt, int maxTokens, SamplingSettings settings,
                               Consumer<String> onText) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("the token limit must not be negative, not " + maxTokens);
        }
        int[] text = model.prefixText(prompt);
        long start = System.nanoTime();
        float[] logits = prefill(imageEmbeddings, text);
        double prefill = (System.nanoTime() - start) / 1e9;
        int placeholder = model.config().imageTokenIndex();
        int images = imageEmbeddings.size() * model.config().imageTokens();
        int[] ids = new int[images + text.length];
        Arrays.fill(ids, 0, images, placeholder);
        System.arraycopy(text, 0, ids, images, text.length);
        int limit = Math.min(maxTokens, decoder.contextLength() - ids.length + 1);
        return new Generator(decoder, model.tokenizer(), model.endTokens()).continueAfter(ids, logits, prefill, limit,
                settings, onText);
    }
}
