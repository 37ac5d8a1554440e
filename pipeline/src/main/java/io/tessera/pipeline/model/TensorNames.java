package io.tessera.pipeline.model;

/**
 * GGUF tensor names of the Gemma decoders, defined once (llama.cpp {@code gguf-py/gguf/constants.py}
 * {@code TENSOR_NAMES}; spec/MODELS.md §1.6). Shapes are given in ggml order {@code [ne0, ne1]},
 * ne0 being the input dimension of a matrix.
 */
public final class TensorNames {
    /** [hidden, vocab] */
    public static final String TOKEN_EMBEDDING = "token_embd.weight";
    /** [hidden, vocab]; absent in Gemma files (tied to the embedding). */
    public static final String OUTPUT = "output.weight";
    /** [hidden] */
    public static final String OUTPUT_NORM = "output_norm.weight";

    /** [rotary_dims / 2] frequency factors of the global layers' RoPE (Gemma 4; llama.cpp {@code LLM_TENSOR_ROPE_FREQS}). */
    public static final String ROPE_FREQS = "rope_freqs.weight";
    /** [layers * per_layer_width, vocab]: per-layer token embeddings (Gemma 3n/4). */
    public static final String PER_LAYER_TOKEN_EMBEDDING = "per_layer_token_embd.weight";
    /** [hidden, layers * per_layer_width]: projection of the scaled embedding to the per-layer inputs. */
    public static final String PER_LAYER_MODEL_PROJECTION = "per_layer_model_proj.weight";
    /** [per_layer_width]: RMSNorm of each layer's slice of that projection. */
    public static final String PER_LAYER_PROJECTION_NORM = "per_layer_proj_norm.weight";

    private TensorNames() {
    }

    private static String block(int layer, String name) {
        return "blk." + layer + "." + name + ".weight";
    }

    /** [hidden] */
    public static String attnNorm(int layer) {
        return block(layer, "attn_norm");
    }

    /** [hidden, heads * head_dim] */
    public static String attnQ(int layer) {
        return block(layer, "attn_q");
    }

    /** [hidden, kv_heads * head_dim] */
    public static String attnK(int layer) {
        return block(layer, "attn_k");
    }

    /** [hidden, kv_heads * head_dim] */
    public static String attnV(int layer) {
        return block(layer, "attn_v");
    }

    /** [head_dim] */
    public static String attnQNorm(int layer) {
        return block(layer, "attn_q_norm");
    }

    /** [head_dim] */
    public static String attnKNorm(int layer) {
        return block(layer, "attn_k_norm");
    }

    /** [heads * head_dim, hidden] */
    public static String attnOutput(int layer) {
        return block(layer, "attn_output");
    }

    /** [hidden] */
    public static String postAttentionNorm(int layer) {
        return block(layer, "post_attention_norm");
    }

    /** [hidden] */
    public static String ffnNorm(int layer) {
        return block(layer, "ffn_norm");
    }

    /** [hidden, ffn] */
    public static String ffnGate(int layer) {
        return block(layer, "ffn_gate");
    }

    /** [hidden, ffn] */
    public static String ffnUp(int layer) {
        return block(layer, "ffn_up");
    }

    /** [ffn, hidden] */
    public static String ffnDown(int layer) {
        return block(layer, "ffn_down");
    }

    /** [hidden] */
    public static String postFfwNorm(int layer) {
        return block(layer, "post_ffw_norm");
    }

    /** [hidden, per_layer_width]: gate of the layer's per-layer input (Gemma 3n/4 {@code inp_gate}). */
    public static String perLayerInputGate(int layer) {
        return block(layer, "inp_gate");
    }

    /** [per_layer_width, hidden]: projection of the gated per-layer input back to the residual width. */
    public static String perLayerProjection(int layer) {
        return block(layer, "proj");
    }

    /** [hidden]: RMSNorm after that projection. */
    public static String perLayerPostNorm(int layer) {
        return block(layer, "post_norm");
    }

    /** [1]: scale of the layer's output (Gemma 4 {@code layer_scalar}). */
    public static String layerOutputScale(int layer) {
        return block(layer, "layer_output_scale");
    }
}
