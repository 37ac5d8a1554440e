package io.tessera.pipeline.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufMetadata;
import io.tessera.pipeline.gguf.GgufValue;

/**
 * What a Gemma-family decoder is (llama2.c's {@code Config}): sizes, norm and attention
 * conventions, and one {@link LayerConfig} per layer. Built from GGUF metadata the way llama.cpp's
 * loader reads it (spec/MODELS.md §1.6), so that the same file means the same model to both.
 *
 * <p>Norm convention: GGUF norm weights already hold the effective multiplier (the converter adds
 * 1 to every {@code *norm.weight} of Gemma 1-3), so every RMSNorm here computes
 * {@code x / rms(x) * w} and nothing adds 1 again.
 *
 * <p>Gemma 4 norms are plain scales too (its converter adds nothing: llama.cpp
 * {@code conversion/gemma.py} {@code Gemma4Model.norm_shift} = 0), so the same rule covers it.
 *
 * @param architecture     the family
 * @param hidden           embedding width
 * @param ffn              feed-forward width of the first layer
 * @param heads            query heads of the first layer
 * @param kvHeads          key/value heads of the first layer (1: MQA; fewer than heads: GQA)
 * @param headDim          head width of the first layer (GGUF {@code key_length}, or
 *                         {@code key_length_swa} for a sliding layer; need not be hidden / heads)
 * @param rotaryDims       dimensions of each head of the first layer that RoPE rotates
 * @param vocab            vocabulary size (rows of the embedding table)
 * @param trainedContext   context length the model was trained for
 * @param rmsEps           RMSNorm epsilon
 * @param attentionScale   factor of q.k before the soft cap and the softmax
 * @param attentionSoftcap attention logit soft cap (0: none)
 * @param finalSoftcap     final logit soft cap (0: none)
 * @param embeddingScale   factor of text-token embeddings, sqrt(hidden)
 * @param layers           per-layer settings (heads, head sizes, window, RoPE, KV source)
 * @param perLayerInput    width of each layer's per-layer input (Gemma 3n/4 E-models; 0: none)
 */
public record ModelConfig(Architecture architecture, int hidden, int ffn, int heads, int kvHeads, int headDim,
                          int rotaryDims, int vocab, int trainedContext, float rmsEps, float attentionScale,
                          float attentionSoftcap, float finalSoftcap, float embeddingScale,
                          List<LayerConfig> layers, int perLayerInput) {

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
        if (perLayerInput < 0) {
            throw new IllegalArgumentException("per-layer input width " + perLayerInput + " must not be negative");
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
        for (int i = 0; i < layers.size(); i++) {
            LayerConfig l = layers.get(i);
            int src = l.kvLayer();
            if (src > i || (src != i && layers.get(src).kvLayer() != src)) {
                throw new IllegalArgumentException("layer " + i + " reads the KV cache of layer " + src
                        + ", which is not an earlier layer with its own cache");
            }
            LayerConfig s = layers.get(src);
            if (s.kvDim() != l.kvDim() || s.headDim() != l.headDim() || s.local() != l.local()
                    || s.window() != l.window()) {
                throw new IllegalArgumentException("layer " + i + " cannot share the KV cache of layer " + src
                        + ": their kv heads, head sizes or windows differ");
            }
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

    /** Width of all query heads together (first layer). */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of one position of the key (or value) cache (first layer). */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Query heads per kv head (first layer). */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** The widest query row of any layer. */
    public int maxQDim() {
        return layers.stream().mapToInt(LayerConfig::qDim).max().orElseThrow();
    }

    /** The widest key (or value) row of any layer. */
    public int maxKvDim() {
        return layers.stream().mapToInt(LayerConfig::kvDim).max().orElseThrow();
    }

    /** The widest feed-forward activation of any layer. */
    public int maxFfn() {
        return layers.stream().mapToInt(LayerConfig::ffn).max().orElseThrow();
    }

    /** Whether layer {@code i} has a KV cache of its own (rather than reading an earlier layer's). */
    public boolean ownsKv(int i) {
        return layers.get(i).kvLayer() == i;
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
                rmsEps, scale, attentionSoftcap, finalSoftcap, embeddingScale, layers, perLayerInput);
    }

    /**
     * Reads the configuration of a {@code gemma}, {@code gemma2}, {@code gemma3}, {@code gemma3n} or
     * {@code gemma4} file. Keys that llama.cpp's loader reads per layer ({@code head_count}, {@code head_count_kv},
     * {@code feed_forward_length}: a number or one per layer) and the sliding-layer head sizes
     * ({@code key_length_swa}, {@code rope.dimension_count_swa}) are read for every family, with
     * llama.cpp's defaults, so a Gemma 1-3 file means what it meant.
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
        if (layerCount == 0) {
            throw new ModelFormatException(file, "key " + GgufKeys.blockCount(archName) + " = 0: no layers");
        }
        int[] ffn = k.requirePerLayer(GgufKeys.feedForwardLength(archName), layerCount);
        int[] heads = k.requirePerLayer(GgufKeys.headCount(archName), layerCount);
        int[] kvHeads = k.optPerLayer(GgufKeys.headCountKv(archName), layerCount).orElse(heads);
        int headFull = k.optInt(GgufKeys.keyLength(archName)).orElse(heads[0] > 0 ? hidden / heads[0] : 0);
        int valueFull = k.optInt(GgufKeys.valueLength(archName)).orElse(heads[0] > 0 ? hidden / heads[0] : 0);
        int headSwa = k.optInt(GgufKeys.keyLengthSwa(archName)).orElse(headFull);
        int valueSwa = k.optInt(GgufKeys.valueLengthSwa(archName)).orElse(valueFull);
        if (valueFull != headFull || valueSwa != headSwa) {
            throw new ModelFormatException(file, "value_length " + valueFull + " (sliding " + valueSwa
                    + ") differs from key_length " + headFull + " (sliding " + headSwa + "): not a Gemma layout");
        }
        int rotaryFull = k.optInt(GgufKeys.ropeDimensionCount(archName)).orElse(headFull);
        int rotarySwa = k.optInt(GgufKeys.ropeDimensionCountSwa(archName)).orElse(rotaryFull);
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
        boolean[] local = new boolean[layerCount];
        int window;
        // Gemma 3n: the list if the file has it, else the family's pattern (llama.cpp load_swa_pattern)
        if (arch.swaPatternKey() && (arch.swaPattern() == 0
                || md.get(GgufKeys.slidingWindowPattern(archName)).isPresent())) {
            window = k.requireInt(GgufKeys.slidingWindow(archName));
            local = k.requireBools(GgufKeys.slidingWindowPattern(archName), layerCount);
        } else {
            window = k.optInt(GgufKeys.slidingWindow(archName)).orElse(arch.defaultWindow());
            boolean swa = arch.swaPattern() > 0 && window > 0;
            for (int i = 0; i < layerCount; i++) {
                local[i] = swa && arch.isLocalLayer(i);
            }
        }
        boolean anyLocal = false;
        for (boolean l : local) {
            anyLocal |= l;
        }
        float attnSoftcap = arch.readsAttnSoftcap()
                ? k.optFloat(GgufKeys.attnLogitSoftcapping(archName)).orElse(arch.defaultAttnSoftcap())
                : arch.defaultAttnSoftcap();
        float finalSoftcap = k.optFloat(GgufKeys.finalLogitSoftcapping(archName)).orElse(arch.defaultFinalSoftcap());
        if (anyLocal && arch.swaDropsFinalSoftcap()) {
            finalSoftcap = 0f;
        }
        // llama.cpp llama-model.cpp (memory of GEMMA3N/GEMMA4): layer il >= n_layer_kv_from_start reads
        // the cache of the last sliding (n - 2) or the last global (n - 1) layer that has one
        int shared = k.optInt(GgufKeys.sharedKvLayers(archName)).orElse(0);
        int kvFromStart = layerCount - shared;
        if (shared > 0 && kvFromStart < 2) {
            throw new ModelFormatException(file, "key " + GgufKeys.sharedKvLayers(archName) + " = " + shared
                    + " leaves fewer than 2 of " + layerCount + " layers with a KV cache");
        }
        float localBase = arch.readsSwaRopeBase()
                ? k.optFloat(GgufKeys.ropeFreqBaseSwa(archName)).orElse(arch.localRopeBase())
                : !Float.isNaN(arch.localRopeBase()) ? arch.localRopeBase() : ropeBase;
        List<LayerConfig> layers = new ArrayList<>(layerCount);
        try {
            for (int i = 0; i < layerCount; i++) {
                boolean l = local[i];
                float base = l ? localBase : ropeBase;
                float factor = l && !arch.localRopeScaled() ? 1f : ropeFactor;
                int kvLayer = i < kvFromStart ? i : kvFromStart - (l ? 2 : 1);
                layers.add(new LayerConfig(l, l ? window : 0, base, factor, heads[i], kvHeads[i],
                        l ? headSwa : headFull, l ? rotarySwa : rotaryFull, ffn[i], kvLayer));
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "layer " + layers.size() + ": " + e.getMessage());
        }
        LayerConfig first = layers.get(0);
        float scale = !Float.isNaN(arch.fixedAttentionScale()) ? arch.fixedAttentionScale()
                : (float) (1.0 / Math.sqrt(layerCount == arch.wideScaleLayers()
                ? (double) (hidden / heads[0]) : headFull));
        int perLayerInput = k.optInt(GgufKeys.embeddingLengthPerLayerInput(archName)).orElse(0);
        try {
            return new ModelConfig(arch, hidden, first.ffn(), first.heads(), first.kvHeads(), first.headDim(),
                    first.rotaryDims(), vocab, context, eps, scale, attnSoftcap, finalSoftcap,
                    (float) Math.sqrt(hidden), layers, perLayerInput);
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

        /** A number for every layer, or one number per layer (llama.cpp {@code get_key_or_arr}). */
        int[] requirePerLayer(String key, int layers) {
            return optPerLayer(key, layers).orElseThrow(() -> new ModelFormatException(file, "missing key " + key
                    + " (architecture " + arch + ")"));
        }

        Optional<int[]> optPerLayer(String key, int layers) {
            Optional<GgufValue> v = md.get(key);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            if (!(v.get() instanceof GgufValue.Array)) {
                int[] all = new int[layers];
                java.util.Arrays.fill(all, optInt(key).orElseThrow());
                return Optional.of(all);
            }
            int[] a;
            try {
                a = md.intArray(key).orElseThrow();
            } catch (RuntimeException e) {
                throw new ModelFormatException(file, "key " + key + " is neither an integer nor an array of them");
            }
            if (a.length != layers) {
                throw new ModelFormatException(file, "key " + key + " has " + a.length + " values for " + layers
                        + " layers");
            }
            for (int x : a) {
                if (x < 0) {
                    throw new ModelFormatException(file, "key " + key + " has a negative value " + x);
                }
            }
            return Optional.of(a);
        }

        /** One bool per layer (an array of BOOL, or of integers 0/1). */
        boolean[] requireBools(String key, int layers) {
            GgufValue v = md.get(key).orElseThrow(() -> new ModelFormatException(file, "missing key " + key
                    + " (architecture " + arch + ")"));
            boolean[] out = new boolean[layers];
            int n;
            if (v instanceof GgufValue.Array a && a.elements() instanceof boolean[] b) {
                n = b.length;
                System.arraycopy(b, 0, out, 0, Math.min(n, layers));
            } else if (v instanceof GgufValue.Array a && a.elements() instanceof long[] l) {
                n = l.length;
                for (int i = 0; i < Math.min(n, layers); i++) {
                    out[i] = l[i] != 0;
                }
            } else {
                throw new ModelFormatException(file, "key " + key + " is not an array of BOOL");
            }
            if (n != layers) {
                throw new ModelFormatException(file, "key " + key + " has " + n + " values for " + layers + " layers");
            }
            return out;
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
