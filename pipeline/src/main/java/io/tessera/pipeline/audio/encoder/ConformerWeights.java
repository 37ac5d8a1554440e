package io.tessera.pipeline.audio.encoder;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.tessera.pipeline.model.ClippedLinear;
import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Weight;
import io.tessera.pipeline.vision.MmprojTensors;
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
        MmprojTensors t = new MmprojTensors(file, arena, "audio projector " + ConformerConfig.PROJECTOR);
        Binder b = new Binder(t);
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
            convBias.add(t.floats(ConformerTensorNames.subsampleConvBias(i), false, 1, 1, ch[i]));
            convNorm.add(t.floats(ConformerTensorNames.subsampleNorm(i), true, ch[i]));
        }
        List<ConformerLayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new ConformerLayerWeights(
                    t.floats(ConformerTensorNames.ffnNorm(i), true, d),
                    b.clipped(ConformerTensorNames.ffnUp(i), f, d),
                    b.clipped(ConformerTensorNames.ffnDown(i), d, f),
                    t.floats(ConformerTensorNames.ffnPostNorm(i), true, d),
                    t.floats(ConformerTensorNames.attnPreNorm(i), true, d),
                    b.clipped(ConformerTensorNames.attnQ(i), d, d),
                    b.clipped(ConformerTensorNames.attnK(i), d, d),
                    b.clipped(ConformerTensorNames.attnV(i), d, d),
                    t.matrix(ConformerTensorNames.attnKRel(i), d, d),
                    t.floats(ConformerTensorNames.perDimScale(i), true, hd),
                    t.floats(ConformerTensorNames.perDimKeyScale(i), true, hd),
                    b.clipped(ConformerTensorNames.attnOut(i), d, d),
                    t.floats(ConformerTensorNames.attnOutBias(i), false, d),
                    t.floats(ConformerTensorNames.attnPostNorm(i), true, d),
                    t.floats(ConformerTensorNames.convPreNorm(i), true, d),
                    b.clipped(ConformerTensorNames.convPointwise1(i), 2 * d, d),
                    t.floats(ConformerTensorNames.convDepthwise(i), true, c.convKernel(), d),
                    t.floats(ConformerTensorNames.convDepthwiseBias(i), false, d),
                    t.floats(ConformerTensorNames.convNorm(i), true, d),
                    b.clipped(ConformerTensorNames.convPointwise2(i), d, d),
                    t.floats(ConformerTensorNames.ffn2Norm(i), true, d),
                    b.clipped(ConformerTensorNames.ffn2Up(i), f, d),
                    b.clipped(ConformerTensorNames.ffn2Down(i), d, f),
                    t.floats(ConformerTensorNames.ffn2PostNorm(i), true, d),
                    t.floats(ConformerTensorNames.outNorm(i), true, d)));
        }
        return new ConformerWeights(conv, convBias, convNorm,
                b.clipped(ConformerTensorNames.INPUT_PROJECTION, d, c.subsampledFeatures()),
                t.floats(ConformerTensorNames.INPUT_PROJECTION_BIAS, false, d), layers,
                b.clipped(ConformerTensorNames.OUTPUT_PROJECTION, c.outputDim(), d),
                t.floats(ConformerTensorNames.OUTPUT_PROJECTION_BIAS, false, c.outputDim()),
                t.floats(ConformerTensorNames.MM_SOFT_EMB_NORM, false, c.outputDim()),
                b.clipped(ConformerTensorNames.MM_INPUT_PROJECTION, c.projectionDim(), c.outputDim()));
    }

    /** The conformer's tensors that need more than the shared views: clipped linears, re-laid conv kernels. */
    private record Binder(MmprojTensors t) {
        /** A matrix with the clamps stored next to it. */
        ClippedLinear clipped(String name, int rows, int cols) {
            Weight w = t.matrix(name, rows, cols);
            try {
                return new ClippedLinear(w, scalar(name, "input_min", -Float.MAX_VALUE),
                        scalar(name, "input_max", Float.MAX_VALUE),
                        scalar(name, "output_min", -Float.MAX_VALUE),
                        scalar(name, "output_max", Float.MAX_VALUE));
            } catch (IllegalArgumentException e) {
                throw t.error(e.getMessage());
            }
        }

        /** A one-element F32 clamp tensor (clip.cpp {@code get_scalar}), or {@code absent}. */
        private float scalar(String weight, String bound, float absent) {
            String name = ConformerTensorNames.clamp(weight, bound);
            GgufTensorInfo info = t.file().tensor(name).orElse(null);
            if (info == null) {
                return absent;
            }
            if (info.type() != GgufTensorType.F32 || info.elementCount() != 1) {
                throw t.error("clamp tensor " + name + " must be one F32 value, not " + info.elementCount() + " of "
                        + info.type());
            }
            float v = t.file().data(info).get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0);
            if (Float.isNaN(v)) {
                throw t.error("clamp tensor " + name + " is NaN");
            }
            return v;
        }

        /** ggml [3, 3, in, out] (memory [out][in][time][mel]) re-laid as [out][time][mel][in]. */
        FloatArray convKernel(String name, int in, int out) {
            FloatArray src = t.floats(name, true, 3, 3, in, out);
            FloatArray dst = FloatArray.allocate(t.arena(), 9L * in * out);
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    for (int tap = 0; tap < 9; tap++) {
                        dst.set(((long) o * 9 + tap) * in + c, src.get(((long) o * in + c) * 9 + tap));
                    }
                }
            }
            return dst;
        }
    }
}
