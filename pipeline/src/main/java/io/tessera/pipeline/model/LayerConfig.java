package io.tessera.pipeline.model;

/**
 * What differs between the layers of one model: attention reach and RoPE, and, since Gemma 4, the
 * head layout (global layers have wider heads and fewer kv heads than sliding ones), the
 * feed-forward width, and whose KV cache the layer reads (llama.cpp {@code llama-hparams.cpp}
 * {@code n_head(il)}, {@code n_embd_head_k(il)}, {@code n_rot(il)}, {@code n_ff(il)}, {@code has_kv(il)}).
 *
 * @param local      whether the layer attends through a sliding window
 * @param window     keys visible to a query, itself included (0: all earlier keys)
 * @param ropeBase   RoPE base of the layer (Gemma 3: 10000 local, the file's base global)
 * @param ropeFactor linear RoPE position interpolation factor (1: none)
 * @param heads      query heads
 * @param kvHeads    key/value heads
 * @param headDim    width of one head (keys, values and queries alike)
 * @param rotaryDims dimensions of each head that RoPE rotates
 * @param ffn        feed-forward width
 * @param kvLayer    the layer whose keys and values this layer attends to: itself, or an earlier
 *                   layer whose cache it shares (Gemma 3n/4 {@code shared_kv_layers})
 */
public record LayerConfig(boolean local, int window, float ropeBase, float ropeFactor, int heads, int kvHeads,
                          int headDim, int rotaryDims, int ffn, int kvLayer) {
    public LayerConfig {
        if (window < 0 || (local && window == 0)) {
            throw new IllegalArgumentException("a local layer needs a positive window, not " + window);
        }
        if (!(ropeBase > 0) || !(ropeFactor > 0)) {
            throw new IllegalArgumentException("RoPE base " + ropeBase + " and factor " + ropeFactor
                    + " must be positive");
        }
        if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || ffn <= 0) {
            throw new IllegalArgumentException("heads " + heads + ", kv heads " + kvHeads + ", head size " + headDim
                    + " and feed-forward width " + ffn + " must be positive");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot be grouped over " + kvHeads + " kv heads");
        }
        if (rotaryDims <= 0 || rotaryDims > headDim || rotaryDims % 2 != 0) {
            throw new IllegalArgumentException("rotary dimensions " + rotaryDims + " must be even and at most "
                    + headDim);
        }
        if (kvLayer < 0) {
            throw new IllegalArgumentException("kv layer " + kvLayer + " must not be negative");
        }
    }

    /** Width of all query heads together. */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of one position of the key (or value) cache. */
    public int kvDim() {
        return kvHeads * headDim;
    }
}
