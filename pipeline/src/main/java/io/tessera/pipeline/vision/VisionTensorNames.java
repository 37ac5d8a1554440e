package io.tessera.pipeline.vision;

/**
 * Tensor names of a llama.cpp {@code mmproj} file (tools/mtmd {@code clip-impl.h} {@code TN_*};
 * spec/MODELS.md §2.6), in one table, with the ggml shape of each for SigLIP + the Gemma 3
 * projector ({@code ne0} first; D = embedding width, F = feed-forward width, P = patch size,
 * N = patches, E = projection width). Which of them a projector requires is said by
 * {@link VisionWeights#load}: llama.cpp treats biases, the post-LayerNorm and the patch bias as
 * optional for the ViT, and requires the rest.
 */
public final class VisionTensorNames {
    /** [P, P, 3, D]: the patch convolution, memory [D][3][P][P]. */
    public static final String PATCH_EMBEDDING = "v.patch_embd.weight";
    /** [D], optional. */
    public static final String PATCH_BIAS = "v.patch_embd.bias";
    /** [D, N]: learned position embeddings, one row per patch. */
    public static final String POSITION_EMBEDDING = "v.position_embd.weight";
    /** [D], optional. */
    public static final String POST_LN_WEIGHT = "v.post_ln.weight";
    /** [D], optional. */
    public static final String POST_LN_BIAS = "v.post_ln.bias";
    /** [E, D] (memory [D][E], HF {@code mm_input_projection_weight} [D, E]). */
    public static final String MM_INPUT_PROJECTION = "mm.input_projection.weight";
    /** [D], stored as 1 + w (the converter adds 1). */
    public static final String MM_SOFT_EMB_NORM = "mm.soft_emb_norm.weight";

    private VisionTensorNames() {
    }

    private static String blk(int layer, String name) {
        return "v.blk." + layer + "." + name;
    }

    /** [D] LayerNorm before attention; {@code part} is "weight" or "bias". */
    public static String ln1(int layer, String part) {
        return blk(layer, "ln1." + part);
    }

    /** [D, D] / [D]. */
    public static String attnQ(int layer, String part) {
        return blk(layer, "attn_q." + part);
    }

    /** [D, D] / [D]. */
    public static String attnK(int layer, String part) {
        return blk(layer, "attn_k." + part);
    }

    /** [D, D] / [D]. */
    public static String attnV(int layer, String part) {
        return blk(layer, "attn_v." + part);
    }

    /** [D, D] / [D]. */
    public static String attnOut(int layer, String part) {
        return blk(layer, "attn_out." + part);
    }

    /** [D] LayerNorm before the MLP. */
    public static String ln2(int layer, String part) {
        return blk(layer, "ln2." + part);
    }

    /** [D, F] / [F]: fc1. */
    public static String ffnUp(int layer, String part) {
        return blk(layer, "ffn_up." + part);
    }

    /** [F, D] / [D]: fc2. */
    public static String ffnDown(int layer, String part) {
        return blk(layer, "ffn_down." + part);
    }
}
