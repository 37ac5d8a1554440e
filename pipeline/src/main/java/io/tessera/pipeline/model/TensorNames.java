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
}
