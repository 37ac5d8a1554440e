package io.tessera.pipeline.paligemma;

/**
 * The Hugging Face tensor names of a PaliGemma checkpoint, defined once. Two layouts exist:
 * {@link #LEGACY}, which the published checkpoints use ({@code language_model.model.*},
 * {@code vision_tower.vision_model.*}, {@code multi_modal_projector.linear}), and {@link #CURRENT},
 * which transformers 4.52 and later save ({@code model.language_model.*}, {@code lm_head.weight}).
 *
 * @param text      prefix of the decoder's tensors
 * @param vision    prefix of the SigLIP tensors
 * @param projector prefix of the projector's linear layer
 * @param lmHead    name of an untied output matrix, when a checkpoint stores one
 */
public record PaliGemmaTensorNames(String text, String vision, String projector, String lmHead) {
    public static final PaliGemmaTensorNames LEGACY = new PaliGemmaTensorNames("language_model.model.",
            "vision_tower.vision_model.", "multi_modal_projector.linear.", "language_model.lm_head.weight");
    public static final PaliGemmaTensorNames CURRENT = new PaliGemmaTensorNames("model.language_model.",
            "model.vision_tower.vision_model.", "model.multi_modal_projector.linear.", "lm_head.weight");

    public String embedTokens() {
        return text + "embed_tokens.weight";
    }

    public String finalNorm() {
        return text + "norm.weight";
    }

    private String layer(int i, String rest) {
        return text + "layers." + i + "." + rest;
    }

    public String q(int i) {
        return layer(i, "self_attn.q_proj.weight");
    }

    public String k(int i) {
        return layer(i, "self_attn.k_proj.weight");
    }

    public String v(int i) {
        return layer(i, "self_attn.v_proj.weight");
    }

    public String o(int i) {
        return layer(i, "self_attn.o_proj.weight");
    }

    public String gate(int i) {
        return layer(i, "mlp.gate_proj.weight");
    }

    public String up(int i) {
        return layer(i, "mlp.up_proj.weight");
    }

    public String down(int i) {
        return layer(i, "mlp.down_proj.weight");
    }

    /** Before attention (Gemma 1 and 2). */
    public String inputNorm(int i) {
        return layer(i, "input_layernorm.weight");
    }

    /** Gemma 1: the norm before the MLP. Gemma 2: the norm after attention. */
    public String postAttentionNorm(int i) {
        return layer(i, "post_attention_layernorm.weight");
    }

    /** Gemma 2 only: before the MLP. */
    public String preFeedforwardNorm(int i) {
        return layer(i, "pre_feedforward_layernorm.weight");
    }

    /** Gemma 2 only: after the MLP. */
    public String postFeedforwardNorm(int i) {
        return layer(i, "post_feedforward_layernorm.weight");
    }

    public String patchEmbedding(String part) {
        return vision + "embeddings.patch_embedding." + part;
    }

    public String positionEmbedding() {
        return vision + "embeddings.position_embedding.weight";
    }

    private String visionLayer(int i, String rest) {
        return vision + "encoder.layers." + i + "." + rest;
    }

    public String layerNorm1(int i, String part) {
        return visionLayer(i, "layer_norm1." + part);
    }

    public String layerNorm2(int i, String part) {
        return visionLayer(i, "layer_norm2." + part);
    }

    /** {@code proj}: q_proj, k_proj, v_proj or out_proj. */
    public String visionAttention(int i, String proj, String part) {
        return visionLayer(i, "self_attn." + proj + "." + part);
    }

    /** {@code fc}: fc1 (up) or fc2 (down). */
    public String visionMlp(int i, String fc, String part) {
        return visionLayer(i, "mlp." + fc + "." + part);
    }

    public String postLayerNorm(String part) {
        return vision + "post_layernorm." + part;
    }

    public String projector(String part) {
        return projector + part;
    }
}
