package io.tessera.pipeline.gguf;

import io.tessera.tokenizer.TokenizerKeys;

/**
 * GGUF metadata keys, defined once (llama.cpp {@code gguf-py/gguf/constants.py}; spec/MODELS.md §1.6).
 * Per-architecture keys take the architecture string ({@code gemma3}) as prefix.
 */
public final class GgufKeys {
    public static final String ARCHITECTURE = "general.architecture";
    public static final String ALIGNMENT = "general.alignment";
    public static final String NAME = "general.name";
    public static final String FILE_TYPE = "general.file_type";
    public static final String QUANTIZATION_VERSION = "general.quantization_version";

    public static final String TOKENIZER_MODEL = TokenizerKeys.MODEL;
    public static final String TOKENIZER_PRE = TokenizerKeys.PRE;
    public static final String TOKENIZER_TOKENS = TokenizerKeys.TOKENS;
    public static final String TOKENIZER_SCORES = TokenizerKeys.SCORES;
    public static final String TOKENIZER_TOKEN_TYPE = TokenizerKeys.TOKEN_TYPE;
    public static final String TOKENIZER_MERGES = TokenizerKeys.MERGES;
    public static final String TOKENIZER_BOS_ID = TokenizerKeys.BOS_ID;
    public static final String TOKENIZER_EOS_ID = TokenizerKeys.EOS_ID;
    public static final String TOKENIZER_UNKNOWN_ID = TokenizerKeys.UNKNOWN_ID;
    public static final String TOKENIZER_PADDING_ID = TokenizerKeys.PADDING_ID;
    public static final String TOKENIZER_ADD_BOS = TokenizerKeys.ADD_BOS;
    public static final String TOKENIZER_ADD_EOS = TokenizerKeys.ADD_EOS;
    public static final String TOKENIZER_ADD_SPACE_PREFIX = TokenizerKeys.ADD_SPACE_PREFIX;
    public static final String TOKENIZER_CHAT_TEMPLATE = TokenizerKeys.CHAT_TEMPLATE;

    /** Default data alignment when {@link #ALIGNMENT} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;

    private GgufKeys() {
    }

    public static String contextLength(String arch) {
        return arch + ".context_length";
    }

    public static String embeddingLength(String arch) {
        return arch + ".embedding_length";
    }

    public static String blockCount(String arch) {
        return arch + ".block_count";
    }

    public static String feedForwardLength(String arch) {
        return arch + ".feed_forward_length";
    }

    /** Experts of each mixture-of-experts layer (llama.cpp {@code LLM_KV_EXPERT_COUNT}). */
    public static String expertCount(String arch) {
        return arch + ".expert_count";
    }

    /** Experts each token is routed to ({@code LLM_KV_EXPERT_USED_COUNT}). */
    public static String expertUsedCount(String arch) {
        return arch + ".expert_used_count";
    }

    /** Hidden width of one expert ({@code LLM_KV_EXPERT_FEED_FORWARD_LENGTH}). */
    public static String expertFeedForwardLength(String arch) {
        return arch + ".expert_feed_forward_length";
    }

    public static String headCount(String arch) {
        return arch + ".attention.head_count";
    }

    public static String headCountKv(String arch) {
        return arch + ".attention.head_count_kv";
    }

    public static String keyLength(String arch) {
        return arch + ".attention.key_length";
    }

    public static String valueLength(String arch) {
        return arch + ".attention.value_length";
    }

    public static String rmsNormEpsilon(String arch) {
        return arch + ".attention.layer_norm_rms_epsilon";
    }

    public static String slidingWindow(String arch) {
        return arch + ".attention.sliding_window";
    }

    public static String ropeFreqBase(String arch) {
        return arch + ".rope.freq_base";
    }

    public static String ropeScalingType(String arch) {
        return arch + ".rope.scaling.type";
    }

    public static String ropeScalingFactor(String arch) {
        return arch + ".rope.scaling.factor";
    }

    public static String finalLogitSoftcapping(String arch) {
        return arch + ".final_logit_softcapping";
    }

    public static String attnLogitSoftcapping(String arch) {
        return arch + ".attn_logit_softcapping";
    }

    public static String ropeDimensionCount(String arch) {
        return arch + ".rope.dimension_count";
    }

    // keys of the Gemma 3n/4 layouts (llama.cpp src/llama-arch.cpp LLM_KV_*)

    /** One bool per layer: whether it uses the sliding window. */
    public static String slidingWindowPattern(String arch) {
        return arch + ".attention.sliding_window_pattern";
    }

    /** Layers at the end that read the KV cache of an earlier layer instead of having their own. */
    public static String sharedKvLayers(String arch) {
        return arch + ".attention.shared_kv_layers";
    }

    public static String keyLengthSwa(String arch) {
        return arch + ".attention.key_length_swa";
    }

    public static String valueLengthSwa(String arch) {
        return arch + ".attention.value_length_swa";
    }

    public static String ropeDimensionCountSwa(String arch) {
        return arch + ".rope.dimension_count_swa";
    }

    public static String ropeFreqBaseSwa(String arch) {
        return arch + ".rope.freq_base_swa";
    }

    /** Width of each layer's per-layer input (0 or absent: none). */
    public static String embeddingLengthPerLayerInput(String arch) {
        return arch + ".embedding_length_per_layer_input";
    }

    // keys of Gemma 3n's AltUp and activation sparsity (llama.cpp gguf-py constants.py Keys.LLM)

    /** AltUp streams. */
    public static String altupNumInputs(String arch) {
        return arch + ".altup.num_inputs";
    }

    /** The AltUp stream that goes through the layers. */
    public static String altupActiveIdx(String arch) {
        return arch + ".altup.active_idx";
    }

    /** One gaussian top-k cut-off per layer, in standard deviations (-inf: no sparsity). */
    public static String activationSparsityScale(String arch) {
        return arch + ".activation_sparsity_scale";
    }
}
