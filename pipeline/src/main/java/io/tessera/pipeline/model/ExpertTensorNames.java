package io.tessera.pipeline.model;

/**
 * GGUF tensor names of a mixture-of-experts feed-forward layer (llama.cpp {@code src/llama-arch.cpp}
 * {@code LLM_TENSOR_FFN_*_EXPS}, {@code FFN_GATE_INP}, {@code FFN_PRE_NORM_2}, {@code FFN_POST_NORM_1/2};
 * Gemma 4 26B-A4B, {@code src/models/gemma4.cpp}). The layer's dense MLP keeps the names of
 * {@link TensorNames}. Shapes in ggml order {@code [ne0, ne1, ne2]}, ne0 the input dimension,
 * ne2 the expert.
 */
public final class ExpertTensorNames {
    private ExpertTensorNames() {
    }

    private static String block(int layer, String name, String suffix) {
        return "blk." + layer + "." + name + "." + suffix;
    }

    /** [hidden, experts]: the router. Its presence makes a layer a mixture of experts. */
    public static String routerInput(int layer) {
        return block(layer, "ffn_gate_inp", "weight");
    }

    /** [hidden]: per-channel scale of the router's normalised input (Gemma 4 {@code router.scale}). */
    public static String routerInputScale(int layer) {
        return block(layer, "ffn_gate_inp", "scale");
    }

    /** [hidden]: norm of the experts' input ({@code pre_ffw_norm_2}). */
    public static String expertsNorm(int layer) {
        return block(layer, "pre_ffw_norm_2", "weight");
    }

    /** [hidden]: norm of the dense (shared) MLP's output ({@code post_ffw_norm_1}). */
    public static String sharedPostNorm(int layer) {
        return block(layer, "post_ffw_norm_1", "weight");
    }

    /** [hidden]: norm of the experts' combined output ({@code post_ffw_norm_2}). */
    public static String expertsPostNorm(int layer) {
        return block(layer, "post_ffw_norm_2", "weight");
    }

    /** [hidden, expert_ffn, experts] */
    public static String gateExperts(int layer) {
        return block(layer, "ffn_gate_exps", "weight");
    }

    /** [hidden, expert_ffn, experts] */
    public static String upExperts(int layer) {
        return block(layer, "ffn_up_exps", "weight");
    }

    /** [hidden, 2 * expert_ffn, experts]: gate rows then up rows of each expert, instead of the two above. */
    public static String gateUpExperts(int layer) {
        return block(layer, "ffn_gate_up_exps", "weight");
    }

    /** [expert_ffn, hidden, experts] */
    public static String downExperts(int layer) {
        return block(layer, "ffn_down_exps", "weight");
    }

    /** [experts]: optional factor of each expert's output (Gemma 4 {@code router.per_expert_scale}). */
    public static String downExpertsScale(int layer) {
        return block(layer, "ffn_down_exps", "scale");
    }
}
