package io.tessera.pipeline.audio.encoder;

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
import io.tessera.pipeline.vision.MmprojFormatException;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TypedArray;

/**
 * What the Gemma 4 audio conformer knows: views of the memory-mapped tensors of an mmproj file,
 * checked against the {@link ConformerConfig} for presence, shape and type (D = width,
 * C0/C1 = subsampling channels, M' = subsampled mel bins, O = output width, E = text width).
 * Matrices stay in the file's format; vectors and the convolution kernels are F32 (F16/BF16 ones
 * are widened once into the arena); the convolution kernels are re-laid once, channels last, for
 * {@code Conv.conv2d}. Required are the tensors llama.cpp's {@code gemma4a} graph
 * uses, except the biases it treats as optional; the biases it loads but never adds
 * ({@code ffn_up.bias}, {@code conv_pw1.bias}, ...) are ignored, as there.
 *
 * @param subsampleConv       two kernels [out][time][mel][in]: (C0, 3, 3, 1) and (C1, 3, 3, C0)
 * @param subsampleBias       two (Cout) biases, null when absent
 * @param subsampleNorm       two (Cout) LayerNorm scales
 * @param inputProjection     (D, M' * C1)
 * @param inputProjectionBias (D), null when absent
 * @param layers              one per block
 * @param outputProjection    (O, D)
 * @param outputBias          (O), null when absent
 * @param softEmbNorm         (O), null when absent (then RMSNorm without scale)
 * @param mmInputProjection   (E, O)
 */
public record ConformerWeights(List<FloatArray> subsampleConv, List<FloatArray> subsampleBias,
                               List<FloatArray> subsampleNorm, ClippedLinear inputProjection,
                               FloatArray inputProjectionBias, List<ConformerLayerWeights> layers,
                               ClippedLinear outputProjection, FloatArray outputBias, FloatArray softEmbNorm,
                               ClippedLinear mmInputProjection) {

    public ConformerWeights {
        subsampleConv = List.copyOf(subsampleConv);
        subsampleBias = java.util.Collections.unmodifiableList(new ArrayList<>(subsampleBias));
        subsampleNorm = List.copyOf(subsampleNorm);
        layers = List.copyOf(layers);
    }

    /** Every weight array, each once, without absent ones. */
    public List<TypedArray> arrays() {
        List<TypedArray> all = new ArrayList<>();
        all.addAll(subsampleConv);
        all.addAll(subsampleBias);
        all.addAll(subsampleNorm);
        all.add(inputProjection.weight().array());
        all.add(inputProjectionBias);
        layers.forEach(l -> all.addAll(layerArrays(l)));
        all.add(outputProjection.weight().array());
        all.add(outputBias);
        all.add(softEmbNorm);
        all.add(mmInputProjection.weight().array());
        all.removeIf(Objects::isNull);
        return all;
    }

    /** The arrays of one block, without absent biases. */
    public static List<TypedArray> layerArrays(ConformerLayerWeights l) {
        List<TypedArray> a = new ArrayList<>(Arrays.asList(l.ffnNorm(), l.ffnUp().weight().array(),
                l.ffnDown().weight().array(), l.ffnPostNorm(), l.attnPreNorm(), l.q().weight().array(),
                l.k().weight().array(), l.v().weight().array(), l.kRel().array(), l.perDimScale(), l.perDimKScale(),
                l.attnOut().weight().array(), l.attnOutBias(), l.attnPostNorm(), l.convPreNorm(),
                l.pointwise1().weight().array(), l.depthwise(), l.depthwiseBias(), l.convNorm(),
                l.pointwise2().weight().array(), l.ffn2Norm(), l.ffn2Up().weight().array(),
                l.ffn2Down().weight().array(), l.ffn2PostNorm(), l.outNorm()));
        a.removeIf(Objects::isNull);
        return a;
    }

    public long byteSize() {
        return arrays().stream().mapToLong(TypedArray::byteSize).sum();
    }

    /** Binds the tensors of {@code file} for {@code c}. */
    public static ConformerWeights load(GgufFile file, ConformerConfig c, Arena arena) {
        Binder b = new Binder(file, arena);
        int d = c.hidden();
        int f = c.ffn();
        int hd = c.headDim();
        int[] ch = c.subsampleChannels();
        List<FloatArray> conv = new ArrayList<>();
        List<FloatArray> convBias = new ArrayList<>();
        List<FloatArray> convNorm = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int in = i == 0 ? 1 : ch[0];
            conv.add(b.convKernel(ConformerTensorNames.subsampleConv(i), in, ch[i]));
            convBias.add(b.floats(ConformerTensorNames.subsampleConvBias(i), false, 1, 1, ch[i]));
            convNorm.add(b.floats(ConformerTensorNames.subsampleNorm(i), true, ch[i]));
        }
        List<ConformerLayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new ConformerLayerWeights(
                    b.floats(ConformerTensorNames.ffnNorm(i), true, d),
                    b.clipped(ConformerTensorNames.ffnUp(i), f, d),
                    b.clipped(ConformerTensorNames.ffnDown(i), d, f),
                    b.floats(ConformerTensorNames.ffnPostNorm(i), true, d),
                    b.floats(ConformerTensorNames.attnPreNorm(i), true, d),
                    b.clipped(ConformerTensorNames.attnQ(i), d, d),
                    b.clipped(ConformerTensorNames.attnK(i), d, d),
                    b.clipped(ConformerTensorNames.attnV(i), d, d),
                    b.matrix(ConformerTensorNames.attnKRel(i), d, d),
                    b.floats(ConformerTensorNames.perDimScale(i), true, hd),
                    b.floats(ConformerTensorNames.perDimKeyScale(i), true, hd),
                    b.clipped(ConformerTensorNames.attnOut(i), d, d),
                    b.floats(ConformerTensorNames.attnOutBias(i), false, d),
                    b.floats(ConformerTensorNames.attnPostNorm(i), true, d),
                    b.floats(ConformerTensorNames.convPreNorm(i), true, d),
                    b.clipped(ConformerTensorNames.convPointwise1(i), 2 * d, d),
                    b.floats(ConformerTensorNames.convDepthwise(i), true, c.convKernel(), d),
                    b.floats(ConformerTensorNames.convDepthwiseBias(i), false, d),
                    b.floats(ConformerTensorNames.convNorm(i), true, d),
                    b.clipped(ConformerTensorNames.convPointwise2(i), d, d),
                    b.floats(ConformerTensorNames.ffn2Norm(i), true, d),
                    b.clipped(ConformerTensorNames.ffn2Up(i), f, d),
                    b.clipped(ConformerTensorNames.ffn2Down(i), d, f),
                    b.floats(ConformerTensorNames.ffn2PostNorm(i), true, d),
                    b.floats(ConformerTensorNames.outNorm(i), true, d)));
        }
        return new ConformerWeights(conv, convBias, convNorm,
                b.clipped(ConformerTensorNames.INPUT_PROJECTION, d, c.subsampledFeatures()),
                b.floats(ConformerTensorNames.INPUT_PROJECTION_BIAS, false, d), layers,
                b.clipped(ConformerTensorNames.OUTPUT_PROJECTION, c.outputDim(), d),
                b.floats(ConformerTensorNames.OUTPUT_PROJECTION_BIAS, false, c.outputDim()),
                b.floats(ConformerTensorNames.MM_SOFT_EMB_NORM, false, c.outputDim()),
                b.clipped(ConformerTensorNames.MM_INPUT_PROJECTION, c.projectionDim(), c.outputDim()));
    }

    /** Finds, checks and views tensors, naming the file, the tensor and the projector in every error. */
    private record Binder(GgufFile file, Arena arena) {
        private MmprojFormatException error(String problem) {
            return new MmprojFormatException(file.path().toString(), problem + " (audio projector "
                    + ConformerConfig.PROJECTOR + ")");
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

        /** A matrix with the clamps stored next to it. */
        ClippedLinear clipped(String name, int rows, int cols) {
            Weight w = matrix(name, rows, cols);
            try {
                return new ClippedLinear(w, scalar(name, "input_min", -Float.MAX_VALUE),
                        scalar(name, "input_max", Float.MAX_VALUE),
                        scalar(name, "output_min", -Float.MAX_VALUE),
                        scalar(name, "output_max", Float.MAX_VALUE));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        /** A one-element F32 clamp tensor (clip.cpp {@code get_scalar}), or {@code absent}. */
        private float scalar(String weight, String bound, float absent) {
            String name = ConformerTensorNames.clamp(weight, bound);
            GgufTensorInfo t = file.tensor(name).orElse(null);
            if (t == null) {
                return absent;
            }
            if (t.type() != GgufTensorType.F32 || t.elementCount() != 1) {
                throw error("clamp tensor " + name + " must be one F32 value, not " + t.elementCount() + " of "
                        + t.type());
            }
            float v = file.data(t).get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0);
            if (Float.isNaN(v)) {
                throw error("clamp tensor " + name + " is NaN");
            }
            return v;
        }

        /** ggml [3, 3, in, out] (memory [out][in][time][mel]) re-laid as [out][time][mel][in]. */
        FloatArray convKernel(String name, int in, int out) {
            FloatArray src = floats(name, true, 3, 3, in, out);
            FloatArray dst = FloatArray.allocate(arena, 9L * in * out);
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    for (int tap = 0; tap < 9; tap++) {
                        dst.set(((long) o * 9 + tap) * in + c, src.get(((long) o * in + c) * 9 + tap));
                    }
                }
            }
            return dst;
        }

        /** An F32 view (or widened copy) of a tensor of the given ggml dims, or null when absent and not required. */
        FloatArray floats(String name, boolean required, long... dims) {
            GgufTensorInfo t = find(name, required, dims);
            if (t == null) {
                return null;
            }
            long length = t.elementCount();
            MemorySegment data = file.data(t);
            return switch (t.type()) {
                case F32 -> new FloatArray(data);
                case F16, BF16 -> {
                    FloatArray out = FloatArray.allocate(arena, length);
                    for (long i = 0; i < length; i++) {
                        short bits = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
                        out.set(i, t.type() == GgufTensorType.F16 ? Float.float16ToFloat(bits)
                                : Float.intBitsToFloat((bits & 0xFFFF) << 16));
                    }
                    yield out;
                }
                default -> throw error("tensor " + name + " has type " + t.type() + "; expected F32, F16 or BF16");
            };
        }
    }
}
