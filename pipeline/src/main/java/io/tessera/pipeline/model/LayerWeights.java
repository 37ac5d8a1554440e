package io.tessera.pipeline.model;

import io.tessera.tasks.api.FloatArray;

/**
 * The weights of one decoder layer; norm vectors hold the effective multiplier (GGUF's 1 + w).
 * Optional ones are null when the family has none (spec/MODELS.md §1.2, §1.4).
 *
 * @param attnNorm     (hidden)
 * @param q            (heads * headDim, hidden)
 * @param k            (kvHeads * headDim, hidden)
 * @param v            (kvHeads * headDim, hidden)
 * @param qNorm        (headDim), QK-norm families only
 * @param kNorm        (headDim), QK-norm families only
 * @param o            (hidden, heads * headDim)
 * @param postAttnNorm (hidden), post-norm families only
 * @param ffnNorm      (hidden)
 * @param gate         (ffn, hidden)
 * @param up           (ffn, hidden)
 * @param down         (hidden, ffn)
 * @param postFfnNorm  (hidden), post-norm families only
 */
public record LayerWeights(FloatArray attnNorm, Weight q, Weight k, Weight v, FloatArray qNorm, FloatArray kNorm,
                           Weight o, FloatArray postAttnNorm, FloatArray ffnNorm, Weight gate, Weight up, Weight down,
                           FloatArray postFfnNorm) {
}
