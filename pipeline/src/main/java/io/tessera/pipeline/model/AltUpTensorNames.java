package io.tessera.pipeline.model;

/**
 * GGUF tensor names of Gemma 3n's AltUp and LAuReL, defined once (llama.cpp
 * {@code src/llama-arch.cpp}, {@code LLM_TENSOR_ALTUP_*}, {@code LLM_TENSOR_LAUREL_*}); the
 * per-layer input tensors Gemma 3n shares with Gemma 4 are in {@link TensorNames}. Shapes in ggml
 * order {@code [ne0, ne1, ne2]}: H hidden, n AltUp streams, r LAuReL rank.
 */
public final class AltUpTensorNames {
    /** [H, H, n - 1]: the input projected into the streams other than the active one. */
    public static final String ALTUP_PROJ = "altup_proj.weight";
    /** [H, H, n - 1]: those streams projected back before the logits. */
    public static final String ALTUP_UNEMBD_PROJ = "altup_unembd_proj.weight";

    private AltUpTensorNames() {
    }

    private static String block(int layer, String name) {
        return "blk." + layer + "." + name + ".weight";
    }

    /** [n, n] */
    public static String altupCorrectCoef(int layer) {
        return block(layer, "altup_correct_coef");
    }

    /** [H] */
    public static String altupCorrectScale(int layer) {
        return block(layer, "altup_correct_scale");
    }

    /** [n, n * n] */
    public static String altupPredictCoef(int layer) {
        return block(layer, "altup_predict_coef");
    }

    /** [H, n] */
    public static String altupRouter(int layer) {
        return block(layer, "altup_router");
    }

    /** [H] */
    public static String altupRouterNorm(int layer) {
        return block(layer, "altup_router_norm");
    }

    /** [H, r] */
    public static String laurelL(int layer) {
        return block(layer, "laurel_l");
    }

    /** [r, H] */
    public static String laurelR(int layer) {
        return block(layer, "laurel_r");
    }

    /** [H] */
    public static String laurelPostNorm(int layer) {
        return block(layer, "laurel_post_norm");
    }
}
