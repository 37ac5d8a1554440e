package io.tessera.pipeline.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.tessera.tasks.api.FloatArray;

/**
 * The weights of one decoder layer; norm vectors hold the multiplier as the GGUF file stores it
 * (Gemma 1-3: 1 + w, written so by the converter; Gemma 4: w). Optional ones are null when the
 * family or the layer has none (spec/MODELS.md §1.2, §1.4, §4.2; llama.cpp {@code src/models/gemma4.cpp}).
 *
 * @param attnNorm      (hidden)
 * @param q             (heads * headDim, hidden)
 * @param k             (kvHeads * headDim, hidden); null on a layer that reads an earlier layer's KV cache
 * @param v             (kvHeads * headDim, hidden); null where the values are the keys' projection
 *                      (Gemma 4 {@code attention_k_eq_v}) or the layer reads an earlier layer's cache
 * @param qNorm         (headDim), QK-norm families only
 * @param kNorm         (headDim), QK-norm families only, null where k is
 * @param o             (hidden, heads * headDim)
 * @param postAttnNorm  (hidden), post-norm families only
 * @param ffn           the feed-forward part
 * @param postFfnNorm   (hidden), post-norm families only
 * @param ropeFreqs     (rotaryDims / 2) RoPE frequency factors, global layers of Gemma 4 only
 * @param perLayerInput the layer's part of the per-layer inputs (Gemma 3n/4), or null
 * @param outScale      (1) factor of the layer's output (Gemma 4), or null
 */
public record LayerWeights(FloatArray attnNorm, Weight q, Weight k, Weight v, FloatArray qNorm, FloatArray kNorm,
                           Weight o, FloatArray postAttnNorm, FeedForward ffn, FloatArray postFfnNorm,
                           FloatArray ropeFreqs, PerLayerInputs.Layer perLayerInput, FloatArray outScale) {

    public LayerWeights {
        Objects.requireNonNull(ffn, "ffn");
    }

    /** Every matrix and vector of the layer that is present, each once (matrices as {@link Weight}). */
    public List<Object> tensors() {
        List<Object> all = new ArrayList<>(Arrays.asList(attnNorm, q, k, v, qNorm, kNorm, o, postAttnNorm));
        switch (ffn) {
            case FeedForward.Dense d -> all.addAll(Arrays.asList(d.norm(), d.gate(), d.up(), d.down()));
        }
        all.addAll(Arrays.asList(postFfnNorm, ropeFreqs, outScale));
        if (perLayerInput != null) {
            all.addAll(Arrays.asList(perLayerInput.gate(), perLayerInput.projection(), perLayerInput.postNorm()));
        }
        all.removeIf(Objects::isNull);
        return all;
    }
}
