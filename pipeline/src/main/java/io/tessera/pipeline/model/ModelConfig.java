package io.tessera.pipeline.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufMetadata;

/**
 * What a Gemma-family decoder is (llama2.c's {@code Config}): sizes, norm and attention
 * conventions, and one {@link LayerConfig} per layer. Built from GGUF metadata the way llama.cpp's
 * loader reads it (spec/MODELS.md §1.6), so that the same file means the same model to both.
 *
 * <p>Norm convention: GGUF norm weights already hold the effective multiplier (the converter adds
 * 1 to every {@code *norm.weight} of Gemma 1-3), so every RMSNorm here computes
 * {@code x / rms(x) * w} and nothing adds 1 again.
 *
 * @param architecture     the family
 * @param hidden           embedding width
 * @param ffn              feed-forward width
 * @param heads            query heads
 * @param kvHeads          key/value heads (1: MQA; fewer than heads: GQA)
 * @param headDim          width of one head (GGUF {@code key_length}; need not be hidden / heads)
 * @param rotaryDims       dimensions of each head that RoPE rotates
 * @param vocab            vocabulary size (rows of the embedding table)
 * @param trainedContext   context length the model was trained for
 * @param rmsEps           RMSNorm epsilon
 * @param attentionScale   factor of q.k before the soft cap and the softmax
 * @param attentionSoftcap attention logit soft cap (0: none)
 * @param finalSoftcap     final logit soft cap (0: none)
 * @param embeddingScale   factor of text-token embeddings, sqrt(hidden)
 * @param layers           per-layer attention settings
 */
public record ModelConfig(Architecture architecture, int hidden, int ffn, int heads, int kvHeads, int headDim,
                          int rotaryDims, int vocab, int trainedContext, float rmsEps, float attentionScale,
                          float attentionSoftcap, float finalSoftcap, float embeddingScale,
                          List<LayerConfig> layers) {

    public ModelConfig {
        positive("hidden", hidden);
        positive("ffn", ffn);
        positive("heads", heads);
        positive("kvHeads", kvHeads);
        positive("headDim", headDim);
        positive("vocab", vocab);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot be grouped over " + kvHeads + " kv heads");
        }
        if (rotaryDims <= 0 || rotaryDims > headDim || rotaryDims % 2 != 0) {
            throw new IllegalArgumentException("rotary dimensions " + rotaryDims + " must be even and at most "
                    + headDim);
        }
        if (!(rmsEps > 0) || !(attentionScale > 0) || attentionSoftcap < 0 || finalSoftcap < 0) {
            throw new IllegalArgumentException("eps and attention scale must be positive, soft caps not negative");
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
    }

    private static void positive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, not " + v);
        }
    }

    public int layerCount() {
        return layers.size();
    }

    public LayerConfig layer(int i) {
        return layers.get(i);
    }

    /** Width of all query heads together. */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of one position of the key (or value) cache. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Query heads per kv head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    public boolean postNorms() {
        return architecture.postNorms();
    }

    public boolean qkNorm() {
        return architecture.qkNorm();
    }

    /** This configuration with another attention scale (for files that carry the true query_pre_attn_scalar). */
    public ModelConfig withAttentionScale(float scale) {
        return new ModelConfig(architecture, hidden, ffn, heads, kvHeads, headDim, rotaryDims, vocab, trainedContext,
                rmsEps, scale, attentionSoftcap, finalSoftcap, embeddingScale, layers);
    }

    /**
     * Reads the configuration of a {@code gemma}, {@code gemma2} or {@code gemma3} file.
     *
     * @param file  the file's name, for messages
     * @param vocab the vocabulary size (the embedding table's rows)
     */
    public static ModelConfig fromGguf(String file, GgufMetadata md, int vocab) {
        String archName = md.string(GgufKeys.ARCHITECTURE).orElseThrow(() -> new ModelFormatException(file,
                "no " + GgufKeys.ARCHITECTURE + " key: not a model file"));
        Architecture arch = Architecture.byGgufName(archName).orElseThrow(() -> new ModelFormatException(file,
                "unknown architecture '" + archName + "' (this decoder runs " + Architecture.supportedNames() + ")"));
        Keys k = new Keys(file, md, archName);
        int hidden = k.requireInt(GgufKeys.embeddingLength(archName));
        int layerCount = k.requireInt(GgufKeys.blockCount(archName));
        int ffn = k.requireInt(GgufKeys.feedForwardLength(archName));
        int heads = k.requireInt(GgufKeys.headCount(archName));
        int kvHeads = k.optInt(GgufKeys.headCountKv(archName)).orElse(heads);
        int headDim = k.optInt(GgufKeys.keyLength(archName)).orElse(heads > 0 ? hidden / heads : 0);
        int valueDim = k.optInt(GgufKeys.valueLength(archName)).orElse(headDim);
        if (valueDim != headDim) {
            throw new ModelFormatException(file, "value_length " + valueDim + " differs from key_length " + headDim
                    + ": not a Gemma layout");
        }
        int rotaryDims = k.optInt(archName + ".rope.dimension_count").orElse(headDim);
        int context = k.requireInt(GgufKeys.contextLength(archName));
        float eps = k.requireFloat(GgufKeys.rmsNormEpsilon(archName));
        float ropeBase = k.optFloat(GgufKeys.ropeFreqBase(archName)).orElse(10_000f);
        float ropeFactor = 1f;
        Optional<String> scaling = md.string(GgufKeys.ropeScalingType(archName));
        if (scaling.isPresent() && !scaling.get().equals("none") && !scaling.get().equals("linear")) {
            throw new ModelFormatException(file, "RoPE scaling '" + scaling.get()
                    + "' is not supported (Gemma uses linear or none)");
        }
        if (scaling.isEmpty() || scaling.get().equals("linear")) {
            float f = k.optFloat(GgufKeys.ropeScalingFactor(archName)).orElse(0f);
            ropeFactor = f == 0f ? 1f : f;
        }
        int window = k.optInt(GgufKeys.slidingWindow(archName)).orElse(arch.defaultWindow());
        boolean swa = arch.swaPattern() > 0 && window > 0;
        float attnSoftcap = arch.readsAttnSoftcap()
                ? k.optFloat(GgufKeys.attnLogitSoftcapping(archName)).orElse(arch.defaultAttnSoftcap())
                : arch.defaultAttnSoftcap();
        float finalSoftcap = k.optFloat(GgufKeys.finalLogitSoftcapping(archName)).orElse(arch.defaultFinalSoftcap());
        if (swa && arch.swaDropsFinalSoftcap()) {
            finalSoftcap = 0f;
        }
        List<LayerConfig> layers = new ArrayList<>(layerCount);
        for (int i = 0; i < layerCount; i++) {
            boolean local = swa && arch.isLocalLayer(i);
            float base = local && !Float.isNaN(arch.localRopeBase()) ? arch.localRopeBase() : ropeBase;
            float factor = local && !arch.localRopeScaled() ? 1f : ropeFactor;
            layers.add(new LayerConfig(local, local ? window : 0, base, factor));
        }
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new ModelFormatException(file, heads + " heads cannot be grouped over " + kvHeads + " kv heads");
        }
        float scale = (float) (1.0 / Math.sqrt(layerCount == arch.wideScaleLayers()
                ? (double) (hidden / heads) : headDim));
        try {
            return new ModelConfig(arch, hidden, ffn, heads, kvHeads, headDim, rotaryDims, vocab, context, eps,
                    scale, attnSoftcap, finalSoftcap, (float) Math.sqrt(hidden), layers);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage());
        }
    }

    /** Metadata reads with the file and key named in every error. */
    private record Keys(String file, GgufMetadata md, String arch) {
        int requireInt(String key) {
            return optInt(key).orElseThrow(() -> new ModelFormatException(file, "missing key " + key
                    + " (architecture " + arch + ")"));
        }

        Optional<Integer> optInt(String key) {
            if (md.get(key).isEmpty()) {
                return Optional.empty();
            }
            long v;
            try {
                v = md.integer(key).orElseThrow();
            } catch (RuntimeException e) {
                throw new ModelFormatException(file, "key " + key + " is not an integer");
            }
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, "key " + key + " = " + v + " is out of range");
            }
            return Optional.of((int) v);
        }

        float requireFloat(String key) {
            return optFloat(key).orElseThrow(() -> new ModelFormatException(file, "missing key " + key
                    + " (architecture " + arch + ")"));
        }

        Optional<Float> optFloat(String key) {
            if (md.get(key).isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(md.number(key).orElseThrow().floatValue());
            } catch (RuntimeException e) {
                throw new ModelFormatException(file, "key " + key + " is not a number");
            }
        }
    }
}
