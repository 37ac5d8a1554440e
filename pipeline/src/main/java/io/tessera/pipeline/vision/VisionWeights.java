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
import io.tessera.pipeline.gguf.GgufTensorType;
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
        Binder b = new Binder(file, c, arena);
        int d = c.hidden();
        List<VisionLayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new VisionLayerWeights(
                    b.vector(VisionTensorNames.ln1(i, "weight"), d, true),
                    b.vector(VisionTensorNames.ln1(i, "bias"), d, true),
                    b.matrix(VisionTensorNames.attnQ(i, "weight"), d, d),
                    b.vector(VisionTensorNames.attnQ(i, "bias"), d, false),
                    b.matrix(VisionTensorNames.attnK(i, "weight"), d, d),
                    b.vector(VisionTensorNames.attnK(i, "bias"), d, false),
                    b.matrix(VisionTensorNames.attnV(i, "weight"), d, d),
                    b.vector(VisionTensorNames.attnV(i, "bias"), d, false),
                    b.matrix(VisionTensorNames.attnOut(i, "weight"), d, d),
                    b.vector(VisionTensorNames.attnOut(i, "bias"), d, false),
                    b.vector(VisionTensorNames.ln2(i, "weight"), d, true),
                    b.vector(VisionTensorNames.ln2(i, "bias"), d, true),
                    b.matrix(VisionTensorNames.ffnUp(i, "weight"), c.ffn(), d),
                    b.vector(VisionTensorNames.ffnUp(i, "bias"), c.ffn(), false),
                    b.matrix(VisionTensorNames.ffnDown(i, "weight"), d, c.ffn()),
                    b.vector(VisionTensorNames.ffnDown(i, "bias"), d, false)));
        }
        return new VisionWeights(b.patchEmbedding(), b.vector(VisionTensorNames.PATCH_BIAS, d, false),
                b.positions(), layers, b.vector(VisionTensorNames.POST_LN_WEIGHT, d, false),
                b.vector(VisionTensorNames.POST_LN_BIAS, d, false), b.vector(VisionTensorNames.MM_SOFT_EMB_NORM, d, true),
                b.inputProjection());
    }

    /** Finds, checks and views tensors, naming the file, the tensor and the projector in every error. */
    private record Binder(GgufFile file, VisionConfig c, Arena arena) {
        private MmprojFormatException error(String problem) {
            return new MmprojFormatException(file.path().toString(), problem + " (projector "
                    + c.projector().ggufName() + ")");
        }

        private GgufTensorInfo find(String name, boolean required, long... dims) {
            GgufTensorInfo t = file.tensor(name).orElse(null);
            if (t == null) {
                if (required) {
                    throw error("missing tensor " + name);
                }
                return null;
            }
            if (!Arrays.equals(t.dims(), dims)) {
                throw error("tensor " + name + " has shape " + Arrays.toString(t.dims()) + ", expected "
                        + Arrays.toString(dims));
            }
            return t;
        }

        /** A (rows, cols) matrix, ggml [cols, rows]. */
        Weight matrix(String name, int rows, int cols) {
            GgufTensorInfo t = find(name, true, cols, rows);
            if ((t.type() == GgufTensorType.Q8_0 || t.type() == GgufTensorType.Q4_0) && cols % 32 != 0) {
                throw error("tensor " + name + " is " + t.type() + " with rows of " + cols
                        + " values, not a whole number of 32-value blocks");
            }
            try {
                return Weight.of(name, t.type(), rows, cols, file.data(t));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        /** A vector of {@code length}, F32, or null when absent and not required. */
        FloatArray vector(String name, int length, boolean required) {
            GgufTensorInfo t = find(name, required, length);
            return t == null ? null : floats(name, t, length);
        }

        /** [N][D] position embeddings, ggml [D, N]. */
        FloatArray positions() {
            GgufTensorInfo t = find(VisionTensorNames.POSITION_EMBEDDING, true, c.hidden(), c.patches());
            return floats(VisionTensorNames.POSITION_EMBEDDING, t, (long) c.hidden() * c.patches());
        }

        /** The conv weight ggml [P, P, 3, D] as a (D, 3 * P * P) matrix: the same memory. */
        Weight patchEmbedding() {
            int p = c.patchSize();
            GgufTensorInfo t = find(VisionTensorNames.PATCH_EMBEDDING, true, p, p, 3, c.hidden());
            return switch (t.type()) {
                case F32, F16, BF16 -> Weight.of(VisionTensorNames.PATCH_EMBEDDING, t.type(), c.hidden(),
                        c.patchValues(), file.data(t));
                default -> throw error("tensor " + VisionTensorNames.PATCH_EMBEDDING + " has type " + t.type()
                        + "; expected F32, F16 or BF16");
            };
        }

        /** ggml [E, D] (memory [D][E]) transposed into a (E, D) matrix of the same type. */
        Weight inputProjection() {
            int e = c.projectionDim();
            int d = c.hidden();
            String name = VisionTensorNames.MM_INPUT_PROJECTION;
            GgufTensorInfo t = find(name, true, e, d);
            MemorySegment src = file.data(t);
            int width = switch (t.type()) {
                case F32 -> 4;
                case F16, BF16 -> 2;
                default -> throw error("tensor " + name + " has type " + t.type() + "; expected F32, F16 or BF16");
            };
            MemorySegment dst = arena.allocate((long) e * d * width, 64);
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
            return Weight.of(name, t.type(), e, d, dst);
        }

        private FloatArray floats(String name, GgufTensorInfo t, long length) {
            MemorySegment data = file.data(t);
            return switch (t.type()) {
                case F32 -> new FloatArray(data);
                case F16, BF16 -> {
                    FloatArray f = FloatArray.allocate(arena, length);
                    for (long i = 0; i < length; i++) {
                        short bits = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
                        f.set(i, t.type() == GgufTensorType.F16 ? Float.float16ToFloat(bits)
                                : Float.intBitsToFloat((bits & 0xFFFF) << 16));
                    }
                    yield f;
                }
                default -> throw error("tensor " + name + " has type " + t.type() + "; expected F32, F16 or BF16");
            };
        }
    }
}
