package io.tessera.pipeline.model;

import java.util.Arrays;
import java.util.Optional;

import io.tessera.tokenizer.ChatTemplate;

/**
 * The decoder families one implementation covers, as data: what each GGUF architecture string
 * means for the forward pass and for llama.cpp's loader, whose reading of the file we follow
 * (spec/MODELS.md §1.4, §1.6; llama.cpp {@code llama-model.cpp}, cases {@code LLM_ARCH_GEMMA*}).
 *
 * @param ggufName           the {@code general.architecture} string
 * @param postNorms          post-attention and post-feed-forward RMSNorms ({@code post_attention_norm}, {@code post_ffw_norm})
 * @param qkNorm             per-head RMSNorm of queries and keys ({@code attn_q_norm}, {@code attn_k_norm})
 * @param swaPattern         sliding-window layer pattern: 0 none; n: layer i is local iff i % n &lt; n - 1
 * @param defaultWindow      sliding window when the file has no key (0: no sliding window without the key)
 * @param defaultAttnSoftcap attention logit soft cap when the file has no key (0: none; the family has no key for it)
 * @param readsAttnSoftcap   whether the loader reads {@code attn_logit_softcapping}
 * @param defaultFinalSoftcap final logit soft cap when the file has no key (0: none)
 * @param localRopeBase      RoPE base of local layers (NaN: the file's {@code rope.freq_base})
 * @param localRopeScaled    whether local layers use the file's linear RoPE scaling
 * @param swaDropsFinalSoftcap whether the sliding-window graph never applies the final soft cap
 *                           (llama.cpp's Gemma 3 iSWA graph; only its non-SWA form does)
 * @param wideScaleLayers    layer count of the size whose query scale is 1/sqrt(hidden/heads) rather
 *                           than 1/sqrt(head_dim) in llama.cpp's rule (Gemma 2 27B: 46, Gemma 3 27B: 62; 0: none)
 * @param fixedAttentionScale factor of q.k regardless of the head size (Gemma 4: 1, no query
 *                           pre-scaling); NaN: llama.cpp's 1/sqrt rule above
 * @param valueNorm          RMSNorm without a scale over each value head (Gemma 3n/4)
 * @param swaPatternKey      which layers slide is the file's {@code attention.sliding_window_pattern}
 *                           (one bool per layer; required unless {@code swaPattern} is the fallback)
 *                           instead of {@code swaPattern}
 * @param readsSwaRopeBase   local layers' RoPE base is the file's {@code rope.freq_base_swa}
 *                           (default {@code localRopeBase})
 * @param globalRopeFreqs    global layers rotate with the frequency factors of {@code rope_freqs.weight}
 *                           (required; Gemma 4's proportional partial RoPE)
 * @param chatTemplate       the chat format of the family's instruction-tuned models
 */
public record Architecture(String ggufName, boolean postNorms, boolean qkNorm, int swaPattern, int defaultWindow,
                           float defaultAttnSoftcap, boolean readsAttnSoftcap, float defaultFinalSoftcap,
                           float localRopeBase, boolean localRopeScaled, boolean swaDropsFinalSoftcap,
                           int wideScaleLayers, float fixedAttentionScale, boolean valueNorm,
                           boolean swaPatternKey, boolean readsSwaRopeBase, boolean globalRopeFreqs,
                           ChatTemplate chatTemplate) {

    /** Gemma 1: no post norms, no QK-norm, no soft caps, every layer global. */
    public static final Architecture GEMMA = new Architecture("gemma", false, false, 0, 0, 0f, false, 0f,
            Float.NaN, true, false, 0, Float.NaN, false, false, false, false, ChatTemplate.GEMMA3);
    /** Gemma 2: post norms, soft caps 50 / 30, local/global alternating from layer 0 (window 4096 by default). */
    public static final Architecture GEMMA2 = new Architecture("gemma2", true, false, 2, 4096, 50f, true, 30f,
            Float.NaN, true, false, 46, Float.NaN, false, false, false, false, ChatTemplate.GEMMA3);
    /** Gemma 3: post norms, QK-norm, five local layers then one global, local RoPE base 10000 unscaled. */
    public static final Architecture GEMMA3 = new Architecture("gemma3", true, true, 6, 0, 0f, false, 0f,
            10_000f, false, true, 62, Float.NaN, false, false, false, false, ChatTemplate.GEMMA3);
    /**
     * Gemma 4 (spec/MODELS.md §4.2; llama.cpp {@code src/models/gemma4.cpp}): post norms, QK-norm, a
     * value norm, sliding layers listed by the file, local RoPE base from {@code rope.freq_base_swa}
     * (10000 by default) unscaled, proportional RoPE on global layers, final soft cap 30 unless the
     * file says otherwise (also with sliding windows), attention scale 1.
     */
    public static final Architecture GEMMA4 = new Architecture("gemma4", true, true, 0, 0, 0f, false, 30f,
            10_000f, false, false, 0, 1f, true, true, true, true, ChatTemplate.GEMMA4);

    /**
     * Gemma 3n text decoder (spec/MODELS.md §4.1; llama.cpp {@code src/models/gemma3n.cpp}): post norms,
     * QK-norm, a value norm, attention scale 1, sliding layers listed by the file (four local then one
     * global without the key), local RoPE base from {@code rope.freq_base_swa} (10000) unscaled, final
     * soft cap 30; its AltUp streams, LAuReL and activation sparsity are {@link AltUpConfig}.
     */
    public static final Architecture GEMMA3N = new Architecture("gemma3n", true, true, 5, 0, 0f, false, 30f,
            10_000f, false, false, 0, 1f, true, true, true, false, ChatTemplate.GEMMA3N);

    private static final Architecture[] ALL = {GEMMA, GEMMA2, GEMMA3, GEMMA4, GEMMA3N};

    /** The family of a {@code general.architecture} string, if this decoder runs it. */
    public static Optional<Architecture> byGgufName(String name) {
        return Arrays.stream(ALL).filter(a -> a.ggufName.equals(name)).findFirst();
    }

    /** The architecture strings this decoder runs. */
    public static String supportedNames() {
        return String.join(", ", Arrays.stream(ALL).map(Architecture::ggufName).toList());
    }

    /** Whether layer {@code i} uses the sliding window (given the family has one in this file). */
    public boolean isLocalLayer(int i) {
        return swaPattern > 0 && i % swaPattern < swaPattern - 1;
    }

    @Override
    public String toString() {
        return ggufName;
    }
}
