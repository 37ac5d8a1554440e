package io.tessera.pipeline.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufMetadata;
import io.tessera.pipeline.gguf.GgufTensorInfo;

/**
 * Gemma 3n's additions to the Gemma decoder beside per-layer inputs and KV sharing (which
 * {@link ModelConfig} carries for Gemma 3n and 4 alike): AltUp residual streams, the LAuReL
 * low-rank residual and gaussian top-k sparsity of the feed-forward gate (spec/MODELS.md §4.1;
 * llama.cpp {@code src/models/gemma3n.cpp}). KV sharing follows the file's
 * {@code attention.shared_kv_layers} (HF {@code num_kv_shared_layers}); llama.cpp instead fixes 20
 * layers with a cache of their own, which the published sizes (E2B: 30 - 10, E4B: 35 - 15) agree with.
 *
 * @param streams    AltUp streams ({@code altup.num_inputs}, 4); the first is the active one, which goes
 *                   through each layer ({@code altup.active_idx} = 0, the only value llama.cpp's graph runs)
 * @param laurelRank LAuReL rank (the second dimension of {@code blk.0.laurel_l}; llama.cpp: 64)
 * @param sparsity   per layer, the gaussian top-k cut-off in standard deviations, NaN for none
 */
public record AltUpConfig(int streams, int laurelRank, List<Float> sparsity) {

    /**
     * llama.cpp's cut-off, icdf(0.95) of a standard normal, on its first 10 layers (the values it
     * fixes in code, {@code n_layer_sparsity}, {@code f_sparsity_std_mul}).
     */
    static final float STD_MULTIPLIER = 1.6448533535003662f;
    static final int SPARSE_LAYERS = 10;

    public AltUpConfig {
        if (streams < 2) {
            throw new IllegalArgumentException(streams + " AltUp streams: need at least 2");
        }
        if (laurelRank <= 0) {
            throw new IllegalArgumentException("LAuReL rank " + laurelRank + " must be positive");
        }
        sparsity = List.copyOf(sparsity);
    }

    /** Whether layer {@code i}'s feed-forward gate goes through gaussian top-k. */
    public boolean sparse(int i) {
        return !Float.isNaN(sparsity.get(i));
    }

    /** Layer {@code i}'s cut-off in standard deviations (for {@link #sparse} layers). */
    public float stdMultiplier(int i) {
        return sparsity.get(i);
    }

    /**
     * The additions of a file whose family has them, read as llama.cpp reads them: the stream count
     * and active stream from their keys; the sparsity from {@code activation_sparsity_scale} (the
     * converter's icdf of each layer's target, -inf for none), or llama.cpp's fixed first 10 layers.
     */
    public static Optional<AltUpConfig> fromGguf(String file, GgufFile gguf, ModelConfig c) {
        if (c.architecture() != Architecture.GEMMA3N) {
            return Optional.empty();
        }
        GgufMetadata md = gguf.metadata();
        String a = c.architecture().ggufName();
        int streams = md.get(GgufKeys.altupNumInputs(a)).isPresent()
                ? (int) md.integer(GgufKeys.altupNumInputs(a)).orElseThrow() : 4;
        long active = md.get(GgufKeys.altupActiveIdx(a)).isPresent()
                ? md.integer(GgufKeys.altupActiveIdx(a)).orElseThrow() : 0;
        if (active != 0) {
            throw new ModelFormatException(file, "key " + GgufKeys.altupActiveIdx(a) + " = " + active
                    + ": only AltUp stream 0 as the active one is supported (as in llama.cpp)");
        }
        if (c.perLayerInput() <= 0) {
            throw new ModelFormatException(file, "missing key " + GgufKeys.embeddingLengthPerLayerInput(a)
                    + " (architecture " + a + ")");
        }
        List<Float> sparsity = new ArrayList<>();
        Optional<float[]> scales = md.get(GgufKeys.activationSparsityScale(a)).isPresent()
                ? md.floatArray(GgufKeys.activationSparsityScale(a)) : Optional.empty();
        if (scales.isPresent() && scales.get().length != c.layerCount()) {
            throw new ModelFormatException(file, "key " + GgufKeys.activationSparsityScale(a) + " has "
                    + scales.get().length + " values for " + c.layerCount() + " layers");
        }
        for (int i = 0; i < c.layerCount(); i++) {
            float v = scales.isPresent() ? scales.get()[i] : i < SPARSE_LAYERS ? STD_MULTIPLIER : Float.NaN;
            sparsity.add(Float.isFinite(v) ? v : Float.NaN);
        }
        GgufTensorInfo laurel = gguf.tensor(AltUpTensorNames.laurelL(0)).orElseThrow(() -> new ModelFormatException(
                file, "missing tensor " + AltUpTensorNames.laurelL(0) + " (architecture " + a + ")"));
        if (laurel.rank() != 2) {
            throw new ModelFormatException(file, "tensor " + AltUpTensorNames.laurelL(0) + " has rank "
                    + laurel.rank() + ", expected 2");
        }
        try {
            return Optional.of(new AltUpConfig(streams, (int) laurel.dim(1), sparsity));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage());
        }
    }
}
