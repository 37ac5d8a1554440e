package io.tessera.pipeline.model;

import io.tessera.tasks.api.FloatArray;

/**
 * Per-layer input embeddings (Gemma 3n and Gemma 4 E-models; llama.cpp {@code src/models/gemma4.cpp}
 * {@code build_inp_per_layer}, {@code project_per_layer_inputs}): besides the residual stream,
 * each token gets one small vector per layer,
 * <pre>
 *   e = perLayerEmbedding[token] * sqrt(width)                   [layers][width]
 *   p = rmsNorm_perSlice((x0 Wproj) / sqrt(hidden)) * projectionNorm
 *   in = (p + e) / sqrt(2)                                        x0: the scaled token embedding
 * </pre>
 * and after its feed-forward block layer l adds {@code postNorm(proj(gelu(gate(x)) * in[l]))} to x.
 *
 * @param embedding      (vocab, layers * width), {@code per_layer_token_embd}
 * @param projection     (layers * width, hidden), {@code per_layer_model_proj}
 * @param projectionNorm (width), {@code per_layer_proj_norm}
 * @param width          per-layer input width ({@code embedding_length_per_layer_input})
 */
public record PerLayerInputs(Weight embedding, Weight projection, FloatArray projectionNorm, int width) {

    /**
     * The per-layer weights of one layer.
     *
     * @param gate       (width, hidden), {@code blk.N.inp_gate}
     * @param projection (hidden, width), {@code blk.N.proj}
     * @param postNorm   (hidden), {@code blk.N.post_norm}
     */
    public record Layer(Weight gate, Weight projection, FloatArray postNorm) {
    }
}
