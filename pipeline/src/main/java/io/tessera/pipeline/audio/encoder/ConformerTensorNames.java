package io.tessera.pipeline.audio.encoder;

/**
 * Tensor names of the Gemma 4 audio conformer in a llama.cpp {@code mmproj} file (projector
 * {@code gemma4a}; tools/mtmd {@code clip-impl.h} {@code TN_A_*}, {@code TN_FFN_*},
 * {@code TN_CONV_*}, loaded by {@code clip.cpp}), in one table, with the ggml shape of each
 * ({@code ne0} first; D = width, F = feed-forward width, H = heads, d = head width, K = light-conv
 * kernel, C0/C1 = subsampling channels, M' = mel bins after subsampling, O = output width,
 * E = text width). {@link ConformerWeights#load} says which are required.
 *
 * <p>A clipped linear (Gemma 4 {@code ClippableLinear}) stores its clamps as scalar tensors next
 * to the weight: {@code NAME.input_min}, {@code .input_max}, {@code .output_min},
 * {@code .output_max} for {@code NAME.weight} ({@link #clamp}); absent ones do not clamp.
 */
public final class ConformerTensorNames {
    /** Subsampling convolution i in {0, 1}: [3, 3, Cin, Cout] (memory [Cout][Cin][time][mel]). */
    public static String subsampleConv(int i) {
        return "a.conv1d." + i + ".weight";
    }

    /** [1, 1, Cout], optional: broadcast over time and mel as {@code ggml_add} needs. */
    public static String subsampleConvBias(int i) {
        return "a.conv1d." + i + ".bias";
    }

    /** [Cout]: LayerNorm over channels after convolution i (no bias). */
    public static String subsampleNorm(int i) {
        return "a.conv1d." + i + ".norm.weight";
    }

    /** [M' * C1, D]: the flattened (mel, channel) features into the width; clipped. */
    public static final String INPUT_PROJECTION = "a.input_projection.weight";
    /** [D], optional. */
    public static final String INPUT_PROJECTION_BIAS = "a.input_projection.bias";
    /** [D, O]: the encoder's output projection; clipped. */
    public static final String OUTPUT_PROJECTION = "a.pre_encode.out.weight";
    /** [O], optional. */
    public static final String OUTPUT_PROJECTION_BIAS = "a.pre_encode.out.bias";
    /** [O]: RMSNorm scale of the multimodal embedder, plain (no +1). */
    public static final String MM_SOFT_EMB_NORM = "mm.a.soft_emb_norm.weight";
    /** [O, E]: the embedder's projection into the text width; clipped. */
    public static final String MM_INPUT_PROJECTION = "mm.a.input_projection.weight";

    private ConformerTensorNames() {
    }

    private static String blk(int layer, String name) {
        return "a.blk." + layer + "." + name;
    }

    /** [D]: RMSNorm before the first half-step feed-forward. */
    public static String ffnNorm(int layer) {
        return blk(layer, "ffn_norm.weight");
    }

    /** [D, F]; clipped. */
    public static String ffnUp(int layer) {
        return blk(layer, "ffn_up.weight");
    }

    /** [F, D]; clipped. */
    public static String ffnDown(int layer) {
        return blk(layer, "ffn_down.weight");
    }

    /** [D]. */
    public static String ffnPostNorm(int layer) {
        return blk(layer, "ffn_post_norm.weight");
    }

    /** [D]: RMSNorm before attention. */
    public static String attnPreNorm(int layer) {
        return blk(layer, "attn_pre_norm.weight");
    }

    /** [D, D]; clipped. */
    public static String attnQ(int layer) {
        return blk(layer, "attn_q.weight");
    }

    /** [D, D]; clipped. */
    public static String attnK(int layer) {
        return blk(layer, "attn_k.weight");
    }

    /** [D, D]; clipped. */
    public static String attnV(int layer) {
        return blk(layer, "attn_v.weight");
    }

    /** [D, H * d]: projects the sinusoidal relative-position signal; not clipped in llama.cpp. */
    public static String attnKRel(int layer) {
        return blk(layer, "attn_k_rel.weight");
    }

    /** [d]: per-dimension query scale, applied as stored. */
    public static String perDimScale(int layer) {
        return blk(layer, "per_dim_scale.weight");
    }

    /** [d]: per-dimension key scale, applied as stored. */
    public static String perDimKeyScale(int layer) {
        return blk(layer, "per_dim_k_scale.weight");
    }

    /** [D, D]; clipped. */
    public static String attnOut(int layer) {
        return blk(layer, "attn_out.weight");
    }

    /** [D], optional. */
    public static String attnOutBias(int layer) {
        return blk(layer, "attn_out.bias");
    }

    /** [D]. */
    public static String attnPostNorm(int layer) {
        return blk(layer, "attn_post_norm.weight");
    }

    /**
     * [D]: RMSNorm before the convolution module. The converter swapped conv_norm and norm_conv
     * (upstream tensor_mapping.py; clip.cpp loads them in reverse), so this pre-norm is named
     * {@code conv_norm}.
     */
    public static String convPreNorm(int layer) {
        return blk(layer, "conv_norm.weight");
    }

    /** [D, 2D]: pointwise expansion before the GLU; clipped. */
    public static String convPointwise1(int layer) {
        return blk(layer, "conv_pw1.weight");
    }

    /** [K, D]: depthwise causal kernel, memory [D][K]. */
    public static String convDepthwise(int layer) {
        return blk(layer, "conv_dw.weight");
    }

    /** [D], optional. */
    public static String convDepthwiseBias(int layer) {
        return blk(layer, "conv_dw.bias");
    }

    /** [D]: RMSNorm after the depthwise convolution, named {@code norm_conv} (see {@link #convPreNorm}). */
    public static String convNorm(int layer) {
        return blk(layer, "norm_conv.weight");
    }

    /** [D, D]: pointwise projection back; clipped. */
    public static String convPointwise2(int layer) {
        return blk(layer, "conv_pw2.weight");
    }

    /** [D]: RMSNorm before the second half-step feed-forward. */
    public static String ffn2Norm(int layer) {
        return blk(layer, "ffn_norm_1.weight");
    }

    /** [D, F]; clipped. */
    public static String ffn2Up(int layer) {
        return blk(layer, "ffn_up_1.weight");
    }

    /** [F, D]; clipped. */
    public static String ffn2Down(int layer) {
        return blk(layer, "ffn_down_1.weight");
    }

    /** [D]. */
    public static String ffn2PostNorm(int layer) {
        return blk(layer, "ffn_post_norm_1.weight");
    }

    /** [D]: the block's output RMSNorm. */
    public static String outNorm(int layer) {
        return blk(layer, "ln2.weight");
    }

    /** The clamp scalar {@code bound} ("input_min", "input_max", "output_min", "output_max") of a clipped weight. */
    public static String clamp(String weight, String bound) {
        if (!weight.endsWith(".weight")) {
            throw new IllegalArgumentException("not a weight name: " + weight);
        }
        return weight.substring(0, weight.length() - ".weight".length()) + "." + bound;
    }
}
