package io.tessera.pipeline.paligemma;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.FeedForward;
import io.tessera.pipeline.model.LayerWeights;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelFormatException;
import io.tessera.pipeline.model.ModelWeights;
import io.tessera.pipeline.model.Weight;
import io.tessera.pipeline.safetensors.SafetensorsCheckpoint;
import io.tessera.pipeline.safetensors.SafetensorsDtype;
import io.tessera.pipeline.safetensors.SafetensorsTensor;
import io.tessera.pipeline.vision.VisionConfig;
import io.tessera.pipeline.vision.VisionLayerWeights;
import io.tessera.pipeline.vision.VisionWeights;
import io.tessera.tasks.api.FloatArray;

/**
 * The weights of a PaliGemma checkpoint bound to the engine's weight types: the decoder as
 * {@link ModelWeights}, SigLIP and the projector as {@link VisionWeights}. Matrices are views of
 * the memory-mapped safetensors (PyTorch {@code Linear} weights are [out][in], which is
 * {@link Weight}'s [rows][cols]); vectors are F32, widened into the arena when stored as F16/BF16,
 * and the decoder's RMSNorm vectors get their 1 added there (HF stores w, spec/MODELS.md §0.2).
 * The embedding table is viewed as its first {@code config.text().vocab()} rows: HF pads it past the
 * tokenizer's size, and the padding rows are no tokens (the logits stop at the vocabulary).
 *
 * @param text   decoder weights; tokenEmbedding (vocab, hidden), tied output unless lm_head is stored
 * @param vision encoder weights; the projector (E, D) with bias (E), no norm
 */
public record PaliGemmaWeights(ModelWeights text, VisionWeights vision) {

    /** Binds the tensors of {@code checkpoint} for {@code config}, in whichever layout of {@link PaliGemmaTensorNames} it has. */
    public static PaliGemmaWeights load(SafetensorsCheckpoint checkpoint, PaliGemmaConfig config, Arena arena) {
        PaliGemmaTensorNames names = layout(checkpoint);
        Binder b = new Binder(checkpoint, arena);
        return new PaliGemmaWeights(text(b, names, config), vision(b, names, config.vision()));
    }

    /** The layout whose embedding table the checkpoint holds. */
    static PaliGemmaTensorNames layout(SafetensorsCheckpoint checkpoint) {
        for (PaliGemmaTensorNames n : List.of(PaliGemmaTensorNames.LEGACY, PaliGemmaTensorNames.CURRENT)) {
            if (checkpoint.tensor(n.embedTokens()).isPresent()) {
                return n;
            }
        }
        throw new ModelFormatException(checkpoint.directory().toString(), "missing tensor "
                + PaliGemmaTensorNames.LEGACY.embedTokens() + " (or " + PaliGemmaTensorNames.CURRENT.embedTokens()
                + "): not a PaliGemma checkpoint");
    }

    private static ModelWeights text(Binder b, PaliGemmaTensorNames n, PaliGemmaConfig pc) {
        ModelConfig c = pc.text();
        int h = c.hidden();
        Weight embedding = b.rowsOf(n.embedTokens(), pc.embeddingRows(), h, c.vocab());
        Weight output = b.has(n.lmHead()) ? b.rowsOf(n.lmHead(), pc.embeddingRows(), h, c.vocab()) : embedding;
        boolean gemma2 = c.postNorms();
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.layerCount(); i++) {
            layers.add(new LayerWeights(
                    b.norm(n.inputNorm(i), h),
                    b.matrix(n.q(i), c.qDim(), h),
                    b.matrix(n.k(i), c.kvDim(), h),
                    b.matrix(n.v(i), c.kvDim(), h),
                    null,
                    null,
                    b.matrix(n.o(i), h, c.qDim()),
                    gemma2 ? b.norm(n.postAttentionNorm(i), h) : null,
                    new FeedForward.Dense(
                            b.norm(gemma2 ? n.preFeedforwardNorm(i) : n.postAttentionNorm(i), h),
                            b.matrix(n.gate(i), c.ffn(), h),
                            b.matrix(n.up(i), c.ffn(), h),
                            b.matrix(n.down(i), h, c.ffn())),
                    gemma2 ? b.norm(n.postFeedforwardNorm(i), h) : null,
                    null, null, null));
        }
        return new ModelWeights(embedding, output, b.norm(n.finalNorm(), h), layers, null);
    }

    private static VisionWeights vision(Binder b, PaliGemmaTensorNames n, VisionConfig c) {
        int d = c.hidden();
        int f = c.ffn();
        List<VisionLayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new VisionLayerWeights(
                    b.vector(n.layerNorm1(i, "weight"), d), b.vector(n.layerNorm1(i, "bias"), d),
                    b.matrix(n.visionAttention(i, "q_proj", "weight"), d, d),
                    b.vector(n.visionAttention(i, "q_proj", "bias"), d),
                    b.matrix(n.visionAttention(i, "k_proj", "weight"), d, d),
                    b.vector(n.visionAttention(i, "k_proj", "bias"), d),
                    b.matrix(n.visionAttention(i, "v_proj", "weight"), d, d),
                    b.vector(n.visionAttention(i, "v_proj", "bias"), d),
                    b.matrix(n.visionAttention(i, "out_proj", "weight"), d, d),
                    b.vector(n.visionAttention(i, "out_proj", "bias"), d),
                    b.vector(n.layerNorm2(i, "weight"), d), b.vector(n.layerNorm2(i, "bias"), d),
                    b.matrix(n.visionMlp(i, "fc1", "weight"), f, d), b.vector(n.visionMlp(i, "fc1", "bias"), f),
                    b.matrix(n.visionMlp(i, "fc2", "weight"), d, f), b.vector(n.visionMlp(i, "fc2", "bias"), d)));
        }
        int p = c.patchSize();
        // the conv weight [D][3][P][P] is, in memory, the (D, 3 * P * P) matrix of the patch embedding
        SafetensorsTensor conv = b.require(n.patchEmbedding("weight"), d, 3, p, p);
        Weight patch = b.weight(conv, d, c.patchValues());
        SafetensorsTensor pos = b.require(n.positionEmbedding(), c.patches(), d);
        return new VisionWeights(patch, b.vector(n.patchEmbedding("bias"), d), b.floats(pos),
                layers, b.vector(n.postLayerNorm("weight"), d), b.vector(n.postLayerNorm("bias"), d), null,
                b.matrix(n.projector("weight"), c.projectionDim(), d), b.vector(n.projector("bias"), c.projectionDim()));
    }

    /** Finds, checks and views tensors, naming the directory and tensor in every error. */
    private record Binder(SafetensorsCheckpoint checkpoint, Arena arena) {
        private ModelFormatException error(String problem) {
            return new ModelFormatException(checkpoint.directory().toString(), problem + " (PaliGemma)");
        }

        boolean has(String name) {
            return checkpoint.tensor(name).isPresent();
        }

        SafetensorsTensor require(String name, long... shape) {
            SafetensorsTensor t = checkpoint.tensor(name).orElseThrow(() -> error("missing tensor " + name));
            if (!Arrays.equals(t.shape(), shape)) {
                throw error("tensor " + name + " has shape " + t.shapeString() + ", expected " + Arrays.toString(shape));
            }
            if (!t.dtype().computable()) {
                throw error("tensor " + name + " has dtype " + t.dtype() + "; expected F32, F16 or BF16");
            }
            return t;
        }

        Weight weight(SafetensorsTensor t, int rows, int cols) {
            return Weight.of(t.name(), type(t.dtype()), rows, cols, checkpoint.data(t));
        }

        /** A [rows][cols] Linear weight. */
        Weight matrix(String name, int rows, int cols) {
            return weight(require(name, rows, cols), rows, cols);
        }

        /** The first {@code used} rows of a [rows][cols] table. */
        Weight rowsOf(String name, int rows, int cols, int used) {
            SafetensorsTensor t = require(name, rows, cols);
            MemorySegment data = checkpoint.data(t).asSlice(0, (long) used * cols * t.dtype().bytes());
            return Weight.of(name, type(t.dtype()), used, cols, data);
        }

        FloatArray vector(String name, int length) {
            return floats(require(name, length));
        }

        /** A Gemma RMSNorm weight w as the multiplier 1 + w. */
        FloatArray norm(String name, int length) {
            FloatArray w = floats(require(name, length));
            FloatArray out = FloatArray.allocate(arena, length);
            for (int i = 0; i < length; i++) {
                out.set(i, 1f + w.get(i));
            }
            return out;
        }

        FloatArray floats(SafetensorsTensor t) {
            MemorySegment data = checkpoint.data(t);
            long n = t.elements();
            return switch (t.dtype()) {
                case F32 -> new FloatArray(data);
                case F16, BF16 -> {
                    FloatArray f = FloatArray.allocate(arena, n);
                    for (long i = 0; i < n; i++) {
                        short bits = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
                        f.set(i, t.dtype() == SafetensorsDtype.F16 ? Float.float16ToFloat(bits)
                                : Float.intBitsToFloat((bits & 0xFFFF) << 16));
                    }
                    yield f;
                }
                default -> throw error("tensor " + t.name() + " has dtype " + t.dtype() + "; expected F32, F16 or BF16");
            };
        }

        private static GgufTensorType type(SafetensorsDtype d) {
            return switch (d) {
                case F32 -> GgufTensorType.F32;
                case F16 -> GgufTensorType.F16;
                case BF16 -> GgufTensorType.BF16;
                default -> throw new IllegalArgumentException("dtype " + d + " is not computable");
            };
        }
    }
}
