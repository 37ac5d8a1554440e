package io.tessera.pipeline.vision;

/**
 * Tensor names of the Gemma 4 vision projectors in an mmproj file (llama.cpp {@code clip-impl.h}
 * {@code TN_*}, gguf-py {@code tensor_mapping.py}), with ggml shapes ({@code ne0} first; D = width,
 * F = MLP width, P = encoder patch side, S = position table length, E = projection width,
 * hd = head width). The block names shared with SigLIP ({@code attn_q}, {@code ln1}, ...) are
 * {@link VisionTensorNames}'; {@link Gemma4VisionWeights#load} says which are required.
 */
public final class Gemma4VisionTensorNames {
    /** [D, S, 2]: one position table per axis, x first (HF {@code position_embedding_table}). */
    public static final String POSITION_EMBEDDING = VisionTensorNames.POSITION_EMBEDDING;
    /** gemma4v: [P, P, 3, D] conv without bias; gemma4uv: [3 P P, D] with columns in (channel, dy, dx) order. */
    public static final String PATCH_EMBEDDING = VisionTensorNames.PATCH_EMBEDDING;
    /** gemma4uv: [D]. */
    public static final String PATCH_BIAS = VisionTensorNames.PATCH_BIAS;
    /** gemma4v: [D, E]; gemma4uv: [D, E] (a plain linear into the text width). */
    public static final String MM_INPUT_PROJECTION = VisionTensorNames.MM_INPUT_PROJECTION;
    /** gemma4v, optional: [D], subtracted after pooling (31B "standardize"). */
    public static final String STD_BIAS = "v.std_bias";
    /** gemma4v, optional: [D], multiplied after {@link #STD_BIAS}. */
    public static final String STD_SCALE = "v.std_scale";

    /** The suffixes of the four scalar [1] bounds of a clipped linear, beside its {@code .weight}. */
    public static final String INPUT_MIN = "input_min";
    public static final String INPUT_MAX = "input_max";
    public static final String OUTPUT_MIN = "output_min";
    public static final String OUTPUT_MAX = "output_max";

    private Gemma4VisionTensorNames() {
    }

    private static String blk(int layer, String name) {
        return "v.blk." + layer + "." + name;
    }

    /** gemma4uv: LayerNorm {@code n} (1: over the raw patch [3 P P], 2: after the projection [D], 3: after the positions [D]). */
    public static String patchNorm(int n, String part) {
        return "v.patch_norm." + n + "." + part;
    }

    /** [hd]: per-head RMSNorm of the queries. */
    public static String attnQNorm(int layer) {
        return blk(layer, "attn_q_norm.weight");
    }

    /** [hd]: per-head RMSNorm of the keys. */
    public static String attnKNorm(int layer) {
        return blk(layer, "attn_k_norm.weight");
    }

    /** [D]: RMSNorm of the attention output before the residual. */
    public static String attnPostNorm(int layer) {
        return blk(layer, "attn_post_norm.weight");
    }

    /** [D, F]: the GeGLU gate. */
    public static String ffnGate(int layer, String part) {
        return blk(layer, "ffn_gate." + part);
    }

    /** [D]: RMSNorm of the MLP output before the residual. */
    public static String ffnPostNorm(int layer) {
        return blk(layer, "ffn_post_norm.weight");
    }

    /** Optional [1]: the block output's scale (HF {@code layer_scalar}). */
    public static String outScale(int layer) {
        return blk(layer, "out_scale.weight");
    }

    /** The scalar {@code bound} (one of the four suffixes) of the linear whose weight is {@code weight}. */
    public static String clipBound(String weight, String bound) {
        if (!weight.endsWith(".weight")) {
            throw new IllegalArgumentException("not a weight name: " + weight);
        }
        return weight.substring(0, weight.length() - "weight".length()) + bound;
    }
}
