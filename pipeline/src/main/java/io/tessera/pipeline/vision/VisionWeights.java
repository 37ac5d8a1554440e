package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TypedArray;

/**
 * What a vision encoder knows: views of the memory-mapped tensors of an mmproj file, checked
 * against the {@link VisionConfig} for presence, shape and type (D = width, N = patches,
 * E = projection width). Matrices stay in the file's format and are multiplied by the matMul
 * kernel of their type; vectors are F32 (F16/BF16 vectors are widened once into the arena).
 * Two tensors are rearranged once, in the arena: the patch convolution becomes a matrix
 * (D, 3 * P * P) (F16/BF16/F32 only; its memory already has that layout) and the projection,
 * stored (D, E) in memory, is transposed to (E, D) so that it is an ordinary y = W x.
 *
 * @param patchEmbedding  (D, 3 * P * P): conv weight [D][3][P][P] as rows
 * @param patchBias       (D), null when absent
 * @param positions       (N, D)
 * @param layers          one per block
 * @param postLnWeight    (D), null when absent
 * @param postLnBias      (D), null when absent
 * @param softEmbNorm     (D): the projector's RMSNorm scale as stored (1 + w); null when the projector has
 *                        no norm (PaliGemma)
 * @param inputProjection (E, D)
 * @param inputProjectionBias (E), null when the projection has no bias (Gemma 3)
 */
public record VisionWeights(Weight patchEmbedding, FloatArray patchBias, FloatArray positions,
                            List<VisionLayerWeights> layers, FloatArray postLnWeight, FloatArray postLnBias,
                            FloatArray softEmbNorm, Weight inputProjection, FloatArray inputProjectionBias) {

    public VisionWeights {
        layers = List.copyOf(layers);
    }

    /** The weights of a projector without a projection bias. */
    public VisionWeights(Weight patchEmbedding, FloatArray patchBias, FloatArray positions,
                         List<VisionLayerWeights> layers, FloatArray postLnWeight, FloatArray postLnBias,
                         FloatArray softEmbNorm, Weight inputProjection) {
        this(patchEmbedding, patchBias, positions, layers, postLnWeight, postLnBias, softEmbNorm, inputProjection,
                null);
    }

    /** Every weight array, each once, in file order of use. */
    public List<TypedArray> arrays() {
        List<TypedArray> all = new ArrayList<>();
        all.add(patchEmbedding.array());
        all.add(patchBias);
        all.add(positions);
        for (VisionLayerWeights l : layers) {
            all.addAll(layerArrays(l));
        }
        all.add(postLnWeight);
        all.add(postLnBias);
        all.add(softEmbNorm);
        all.add(inputProjection.array());
        all.add(inputProjectionBias);
        all.removeIf(Objects::isNull);
        return all;
    }

    /** The arrays of one block, without absent biases. */
    public static List<TypedArray> layerArrays(VisionLayerWeights l) {
        List<TypedArray> a = new ArrayList<>(Arrays.asList(l.ln1Weight(), l.ln1Bias(), l.q().array(), l.qBias(),
                l.k().array(), l.kBias(), l.v().array(), l.vBias(), l.out().array(), l.outBias(), l.ln2Weight(),
                l.ln2Bias(), l.up().array(), l.upBias(), l.down().array(), l.downBias()));
        a.removeIf(Objects::isNull);
        return a;
    }

    public long byteSize() {
        return arrays().stream().mapToLong(TypedArray::byteSize).sum();
    }

    /** Binds the tensors of {@code file} for {@code c}. */
    public static VisionWeights load(GgufFile file, VisionConfig c, Arena arena) {
        MmprojTensors t = new MmprojTensors(file, arena, "projector " + c.projector().ggufName());
        int d = c.hidden();
        List<VisionLayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new VisionLayerWeights(
                    t.vector(VisionTensorNames.ln1(i, "weight"), d, true),
                    t.vector(VisionTensorNames.ln1(i, "bias"), d, true),
                    t.matrix(VisionTensorNames.attnQ(i, "weight"), d, d),
                    t.vector(VisionTensorNames.attnQ(i, "bias"), d, false),
                    t.matrix(VisionTensorNames.attnK(i, "weight"), d, d),
                    t.vector(VisionTensorNames.attnK(i, "bias"), d, false),
                    t.matrix(VisionTensorNames.attnV(i, "weight"), d, d),
                    t.vector(VisionTensorNames.attnV(i, "bias"), d, false),
                    t.matrix(VisionTensorNames.attnOut(i, "weight"), d, d),
                    t.vector(VisionTensorNames.attnOut(i, "bias"), d, false),
                    t.vector(VisionTensorNames.ln2(i, "weight"), d, true),
                    t.vector(VisionTensorNames.ln2(i, "bias"), d, true),
                    t.matrix(VisionTensorNames.ffnUp(i, "weight"), c.ffn(), d),
                    t.vector(VisionTensorNames.ffnUp(i, "bias"), c.ffn(), false),
                    t.matrix(VisionTensorNames.ffnDown(i, "weight"), d, c.ffn()),
                    t.vector(VisionTensorNames.ffnDown(i, "bias"), d, false)));
        }
        return new VisionWeights(t.patchConv(VisionTensorNames.PATCH_EMBEDDING, c.patchSize(), d),
                t.vector(VisionTensorNames.PATCH_BIAS, d, false),
                t.floats(VisionTensorNames.POSITION_EMBEDDING, true, d, c.patches()), layers,
                t.vector(VisionTensorNames.POST_LN_WEIGHT, d, false), t.vector(VisionTensorNames.POST_LN_BIAS, d, false),
                t.vector(VisionTensorNames.MM_SOFT_EMB_NORM, d, true),
                inputProjection(t, c));
    }

    /** ggml [E, D] (memory [D][E]) transposed into a (E, D) matrix of the same type. */
    private static Weight inputProjection(MmprojTensors t, VisionConfig c) {
        int e = c.projectionDim();
        int d = c.hidden();
        String name = VisionTensorNames.MM_INPUT_PROJECTION;
        GgufTensorInfo info = t.find(name, true, e, d);
        MemorySegment src = t.file().data(info);
        int width = switch (info.type()) {
            case F32 -> 4;
            case F16, BF16 -> 2;
            default -> throw t.error("tensor " + name + " has type " + info.type() + "; expected F32, F16 or BF16");
        };
        MemorySegment dst = t.arena().allocate((long) e * d * width, 64);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < e; j++) {
                long from = ((long) i * e + j) * width;
                long to = ((long) j * d + i) * width;
                if (width == 4) {
                    dst.set(ValueLayout.JAVA_INT_UNALIGNED, to, src.get(ValueLayout.JAVA_INT_UNALIGNED, from));
                } else {
                    dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, to, src.get(ValueLayout.JAVA_SHORT_UNALIGNED, from));
                }
            }
        }
        return Weight.of(name, info.type(), e, d, dst);
    }
}
