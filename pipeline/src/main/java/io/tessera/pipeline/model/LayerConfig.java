package io.tessera.pipeline.model;

/**
 * What differs between the layers of one model.
 *
 * @param local      whether the layer attends through a sliding window
 * @param window     keys visible to a query, itself included (0: all earlier keys)
 * @param ropeBase   RoPE base of the layer (Gemma 3: 10000 local, the file's base global)
 * @param ropeFactor linear RoPE position interpolation factor (1: none)
 */
public record LayerConfig(boolean local, int window, float ropeBase, float ropeFactor) {
    public LayerConfig {
        if (window < 0 || (local && window == 0)) {
            throw new IllegalArgumentException("a local layer needs a positive window, not " + window);
        }
        if (!(ropeBase > 0) || !(ropeFactor > 0)) {
            throw new IllegalArgumentException("RoPE base " + ropeBase + " and factor " + ropeFactor
                    + " must be positive");
        }
    }
}
