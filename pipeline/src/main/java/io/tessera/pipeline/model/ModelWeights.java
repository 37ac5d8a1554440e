package io.tessera.pipeline.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.tasks.api.FloatArray;

/**
 * What a decoder knows (llama2.c's {@code Weights}): views of the memory-mapped tensors of a GGUF
 * file, checked against the {@link ModelConfig} for presence, shape and type. Matrices stay in
 * the file's format; norm vectors are F32 (other float types are widened once into
 * {@code arena}).
 *
 * @param tokenEmbedding (vocab, hidden)
 * @param output         (vocab, hidden): {@code output.weight} if present, else the embedding (tied)
 * @param outputNorm     (hidden)
 * @param layers         one per layer
 * @param perLayerInputs the per-layer input embeddings (Gemma 3n/4 E-models), or null
 */
public record ModelWeights(Weight tokenEmbedding, Weight output, FloatArray outputNorm, List<LayerWeights> layers,
                           PerLayerInputs perLayerInputs) {

    public ModelWeights {
        layers = List.copyOf(layers);
    }

    /** Every matrix and norm vector, each once. */
    public List<Object> tensors() {
        List<Object> all = new ArrayList<>();
        all.add(tokenEmbedding);
        if (output != tokenEmbedding) {
            all.add(output);
        }
        all.add(outputNorm);
        if (perLayerInputs != null) {
            all.addAll(Arrays.asList(perLayerInputs.embedding(), perLayerInputs.projection(),
                    perLayerInputs.projectionNorm()));
        }
        for (LayerWeights l : layers) {
            for (Object t : l.tensors()) {
                // a tensor several layers use (Gemma 4 rope_freqs) is listed once
                if (all.stream().noneMatch(a -> a == t)) {
                    all.add(t);
                }
            }
        }
        return all;
    }

    /** Bytes of weight data per tensor type, in type order. */
    public Map<GgufTensorType, Long> bytesByType() {
        Map<GgufTensorType, Long> h = new TreeMap<>();
        for (Object t : tensors()) {
            switch (t) {
                case Weight w -> h.merge(w.type(), w.byteSize(), Long::sum);
                case FloatArray f -> h.merge(GgufTensorType.F32, f.byteSize(), Long::sum);
                default -> throw new IllegalStateException("unexpected tensor " + t);
            }
        }
        return h;
    }

    /** Tensors per type. */
    public Map<GgufTensorType, Integer> countByType() {
        Map<GgufTensorType, Integer> h = new TreeMap<>();
        for (Object t : tensors()) {
            h.merge(t instanceof Weight w ? w.type() : GgufTensorType.F32, 1, Integer::sum);
        }
        return h;
    }

    public long byteSize() {
        return bytesByType().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Binds the tensors of {@code file} for {@code config}; {@code progress} hears the name of each
     * tensor as it is bound.
     */
    public static ModelWeights load(GgufFile file, ModelConfig config, Arena arena, Consumer<String> progress) {
        Binder b = new Binder(file, config.architecture(), arena, progress);
        ExpertsLoader experts = new ExpertsLoader(file, config.architecture(), arena, progress);
        int h = config.hidden();
        Weight embedding = b.matrix(TensorNames.TOKEN_EMBEDDING, config.vocab(), h);
        Weight output = file.tensor(TensorNames.OUTPUT).isPresent()
                ? b.matrix(TensorNames.OUTPUT, config.vocab(), h) : embedding;
        FloatArray outputNorm = b.vector(TensorNames.OUTPUT_NORM, h);
        PerLayerInputs perLayer = null;
        int pl = config.perLayerInput();
        int layerCount = config.layerCount();
        if (pl > 0) {
            perLayer = new PerLayerInputs(
                    b.matrix(TensorNames.PER_LAYER_TOKEN_EMBEDDING, config.vocab(), pl * layerCount),
                    b.matrix(TensorNames.PER_LAYER_MODEL_PROJECTION, pl * layerCount, h),
                    b.vector(TensorNames.PER_LAYER_PROJECTION_NORM, pl), pl);
        }
        FloatArray ropeFreqs = null;
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            LayerConfig lc = config.layer(i);
            boolean qk = config.qkNorm();
            boolean post = config.postNorms();
            boolean ownKv = config.ownsKv(i);
            // llama.cpp gemma4 load_arch_tensors: k, k_norm optional where the layer has no cache of its
            // own (and unused there even if present, so not bound); v optional everywhere (absent: the
            // values are the keys' projection, k_eq_v)
            Weight k = ownKv ? b.matrix(TensorNames.attnK(i), lc.kvDim(), h) : null;
            Weight v = ownKv && (b.has(TensorNames.attnV(i)) || !config.architecture().valueNorm())
                    ? b.matrix(TensorNames.attnV(i), lc.kvDim(), h) : null;
            FloatArray kNorm = qk && ownKv ? b.vector(TensorNames.attnKNorm(i), lc.headDim()) : null;
            FloatArray freqs = null;
            if (config.architecture().globalRopeFreqs() && !lc.local()) {
                if (ropeFreqs == null) {
                    ropeFreqs = b.vector(TensorNames.ROPE_FREQS, lc.headDim() / 2);
                } else if (ropeFreqs.length() != lc.headDim() / 2) {
                    throw new ModelFormatException(file.path().toString(), "tensor " + TensorNames.ROPE_FREQS
                            + " has " + ropeFreqs.length() + " factors; layer " + i + " needs " + lc.headDim() / 2);
                }
                freqs = ropeFreqs;
            }
            PerLayerInputs.Layer pli = pl > 0 ? new PerLayerInputs.Layer(
                    b.matrix(TensorNames.perLayerInputGate(i), pl, h),
                    b.matrix(TensorNames.perLayerProjection(i), h, pl),
                    b.vector(TensorNames.perLayerPostNorm(i), h)) : null;
            FloatArray outScale = b.has(TensorNames.layerOutputScale(i))
                    ? b.vector(TensorNames.layerOutputScale(i), 1) : null;
            layers.add(new LayerWeights(
                    b.vector(TensorNames.attnNorm(i), h),
                    b.matrix(TensorNames.attnQ(i), lc.qDim(), h),
                    k,
                    v,
                    qk ? b.vector(TensorNames.attnQNorm(i), lc.headDim()) : null,
                    kNorm,
                    b.matrix(TensorNames.attnOutput(i), h, lc.qDim()),
                    post ? b.vector(TensorNames.postAttentionNorm(i), h) : null,
                    withExperts(experts, i, h, new FeedForward.Dense(
                            b.vector(TensorNames.ffnNorm(i), h),
                            b.matrix(TensorNames.ffnGate(i), lc.ffn(), h),
                            b.matrix(TensorNames.ffnUp(i), lc.ffn(), h),
                            b.matrix(TensorNames.ffnDown(i), h, lc.ffn()))),
                    post ? b.vector(TensorNames.postFfwNorm(i), h) : null,
                    freqs, pli, outScale));
        }
        return new ModelWeights(embedding, output, outputNorm, layers, perLayer);
    }

    /** A layer with a router is a mixture of its dense MLP and routed experts ({@link ExpertsLoader}). */
    private static FeedForward withExperts(ExpertsLoader experts, int layer, int hidden, FeedForward.Dense dense) {
        return experts.hasExperts(layer)
                ? new FeedForward.Mixture(dense, experts.sharedPostNorm(layer, hidden), experts.load(layer, hidden))
                : dense;
    }

    /** Finds, checks and views tensors, naming the file, tensor and architecture in every error. */
    record Binder(GgufFile file, Architecture arch, Arena arena, Consumer<String> progress) {
        GgufTensorInfo require(String name, long... dims) {
            GgufTensorInfo t = file.tensor(name).orElseThrow(() -> new ModelFormatException(file.path().toString(),
                    "missing tensor " + name + " (architecture " + arch + ")"));
            if (!Arrays.equals(t.dims(), dims)) {
                throw new ModelFormatException(file.path().toString(), "tensor " + name + " has shape "
                        + Arrays.toString(t.dims()) + ", expected " + Arrays.toString(dims) + " (architecture "
                        + arch + ")");
            }
            progress.accept(name);
            return t;
        }

        boolean has(String name) {
            return file.tensor(name).isPresent();
        }

        Weight matrix(String name, int rows, int cols) {
            GgufTensorInfo t = require(name, cols, rows);
            try {
                return Weight.of(name, t.type(), rows, cols, file.data(t));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file.path().toString(), e.getMessage());
            }
        }

        FloatArray vector(String name, int length) {
            GgufTensorInfo t = require(name, length);
            MemorySegment data = file.data(t);
            return switch (t.type()) {
                case F32 -> new FloatArray(data);
                case F16, BF16 -> {
                    FloatArray f = FloatArray.allocate(arena, length);
                    for (int i = 0; i < length; i++) {
                        short bits = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
                        f.set(i, t.type() == GgufTensorType.F16 ? Float.float16ToFloat(bits)
                                : Float.intBitsToFloat((bits & 0xFFFF) << 16));
                    }
                    yield f;
                }
                default -> throw new ModelFormatException(file.path().toString(), "norm tensor " + name
                        + " has type " + t.type() + "; expected F32, F16 or BF16");
            };
        }
    }
}
