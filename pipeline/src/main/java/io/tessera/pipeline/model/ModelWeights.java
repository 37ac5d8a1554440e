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
 */
public record ModelWeights(Weight tokenEmbedding, Weight output, FloatArray outputNorm, List<LayerWeights> layers) {

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
        for (LayerWeights l : layers) {
            all.addAll(Arrays.asList(l.attnNorm(), l.q(), l.k(), l.v(), l.qNorm(), l.kNorm(), l.o(), l.postAttnNorm(),
                    l.ffnNorm(), l.gate(), l.up(), l.down(), l.postFfnNorm()));
        }
        all.removeIf(java.util.Objects::isNull);
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
        int h = config.hidden();
        Weight embedding = b.matrix(TensorNames.TOKEN_EMBEDDING, config.vocab(), h);
        Weight output = file.tensor(TensorNames.OUTPUT).isPresent()
                ? b.matrix(TensorNames.OUTPUT, config.vocab(), h) : embedding;
        FloatArray outputNorm = b.vector(TensorNames.OUTPUT_NORM, h);
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < config.layerCount(); i++) {
            boolean qk = config.qkNorm();
            boolean post = config.postNorms();
            layers.add(new LayerWeights(
                    b.vector(TensorNames.attnNorm(i), h),
                    b.matrix(TensorNames.attnQ(i), config.qDim(), h),
                    b.matrix(TensorNames.attnK(i), config.kvDim(), h),
                    b.matrix(TensorNames.attnV(i), config.kvDim(), h),
                    qk ? b.vector(TensorNames.attnQNorm(i), config.headDim()) : null,
                    qk ? b.vector(TensorNames.attnKNorm(i), config.headDim()) : null,
                    b.matrix(TensorNames.attnOutput(i), h, config.qDim()),
                    post ? b.vector(TensorNames.postAttentionNorm(i), h) : null,
                    b.vector(TensorNames.ffnNorm(i), h),
                    b.matrix(TensorNames.ffnGate(i), config.ffn(), h),
                    b.matrix(TensorNames.ffnUp(i), config.ffn(), h),
                    b.matrix(TensorNames.ffnDown(i), h, config.ffn()),
                    post ? b.vector(TensorNames.postFfwNorm(i), h) : null));
        }
        return new ModelWeights(embedding, output, outputNorm, layers);
    }

    /** Finds, checks and views tensors, naming the file, tensor and architecture in every error. */
    private record Binder(GgufFile file, Architecture arch, Arena arena, Consumer<String> progress) {
        private GgufTensorInfo require(String name, long... dims) {
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
