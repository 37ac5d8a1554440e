package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.ClippedLinear;
import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TypedArray;

/**
 * What a Gemma 4 vision projector knows: views of the memory-mapped tensors of an mmproj file,
 * checked against the {@link Gemma4VisionConfig} for presence, shape and type (D = width,
 * F = MLP width, hd = head width, S = position table length, E = projection width, V = values of
 * one encoder patch, 3 P P). Matrices stay in the file's format; vectors are F32 (F16/BF16 ones
 * are widened once into the arena). Fields a projector type does not have are null.
 *
 * @param patchEmbedding  (D, V): gemma4v's conv weight [D][3][P][P] as rows, or gemma4uv's patch projection
 * @param patchBias       (D), gemma4uv only
 * @param positions       (2, S, D): the x table, then the y table
 * @param positionRows    S, the longest side in patches a table covers
 * @param layers          gemma4v's blocks (none for gemma4uv)
 * @param stdBias         (D), optional (gemma4v)
 * @param stdScale        (D), optional, present with stdBias
 * @param patchNormWeight gemma4uv's three LayerNorm weights: (V), (D), (D)
 * @param patchNormBias   and their biases
 * @param projection      (E, D) into the text width
 */
public record Gemma4VisionWeights(Weight patchEmbedding, FloatArray patchBias, FloatArray positions, int positionRows,
                                  List<Layer> layers, FloatArray stdBias, FloatArray stdScale,
                                  List<FloatArray> patchNormWeight, List<FloatArray> patchNormBias,
                                  ClippedLinear projection) {

    public Gemma4VisionWeights {
        layers = List.copyOf(layers);
        patchNormWeight = patchNormWeight == null ? null : List.copyOf(patchNormWeight);
        patchNormBias = patchNormBias == null ? null : List.copyOf(patchNormBias);
    }

    /**
     * One gemma4v block (llama.cpp {@code build_vit} with RMS norms; no biases). Norm weights are
     * plain scales (spec/MODELS.md §0.2: Gemma 4 stores no 1 + w).
     *
     * @param ln1          (D), null: unweighted RMSNorm
     * @param q            (D, D)
     * @param k            (D, D)
     * @param v            (D, D)
     * @param qNorm        (hd), null when absent
     * @param kNorm        (hd), null when absent
     * @param out          (D, D)
     * @param attnPostNorm (D), null when absent
     * @param ln2          (D), null: unweighted RMSNorm
     * @param gate         (F, D)
     * @param up           (F, D)
     * @param down         (D, F)
     * @param ffnPostNorm  (D), null when absent
     * @param outScale     the block output's scale, 1 when absent
     */
    public record Layer(FloatArray ln1, ClippedLinear q, ClippedLinear k, ClippedLinear v, FloatArray qNorm,
                        FloatArray kNorm, ClippedLinear out, FloatArray attnPostNorm, FloatArray ln2,
                        ClippedLinear gate, ClippedLinear up, ClippedLinear down, FloatArray ffnPostNorm,
                        float outScale) {
        /** Every array of the block, each once, without absent ones. */
        public List<TypedArray> arrays() {
            List<TypedArray> a = new ArrayList<>(Arrays.asList(ln1, q.weight().array(), k.weight().array(),
                    v.weight().array(), qNorm, kNorm, out.weight().array(), attnPostNorm, ln2, gate.weight().array(),
                    up.weight().array(), down.weight().array(), ffnPostNorm));
            a.removeIf(Objects::isNull);
            return a;
        }
    }

    /** Every weight array, each once. */
    public List<TypedArray> arrays() {
        List<TypedArray> all = new ArrayList<>();
        all.add(patchEmbedding.array());
        all.add(patchBias);
        all.add(positions);
        for (Layer l : layers) {
            all.addAll(l.arrays());
        }
        all.add(stdBias);
        all.add(stdScale);
        if (patchNormWeight != null) {
            all.addAll(patchNormWeight);
            all.addAll(patchNormBias);
        }
        all.add(projection.weight().array());
        all.removeIf(Objects::isNull);
        return all;
    }

    public long byteSize() {
        return arrays().stream().mapToLong(TypedArray::byteSize).sum();
    }

    /** Binds the tensors of {@code file} for {@code c}. */
    public static Gemma4VisionWeights load(GgufFile file, Gemma4VisionConfig c, Arena arena) {
        MmprojTensors t = new MmprojTensors(file, arena, "projector " + c.kind().ggufName());
        Binder b = new Binder(t);
        int d = c.hidden();
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            for (String bias : List.of(VisionTensorNames.attnQ(i, "bias"), VisionTensorNames.attnK(i, "bias"),
                    VisionTensorNames.attnV(i, "bias"), VisionTensorNames.attnOut(i, "bias"),
                    VisionTensorNames.ffnUp(i, "bias"), VisionTensorNames.ffnDown(i, "bias"),
                    Gemma4VisionTensorNames.ffnGate(i, "bias"), VisionTensorNames.ln1(i, "bias"),
                    VisionTensorNames.ln2(i, "bias"))) {
                if (file.tensor(bias).isPresent()) {
                    throw t.error("tensor " + bias + " is not part of a gemma4v block (Gemma 4 vision has no biases)");
                }
            }
            layers.add(new Layer(
                    t.vector(VisionTensorNames.ln1(i, "weight"), d, false),
                    b.linear(VisionTensorNames.attnQ(i, "weight"), d, d),
                    b.linear(VisionTensorNames.attnK(i, "weight"), d, d),
                    b.linear(VisionTensorNames.attnV(i, "weight"), d, d),
                    t.vector(Gemma4VisionTensorNames.attnQNorm(i), c.headDim(), false),
                    t.vector(Gemma4VisionTensorNames.attnKNorm(i), c.headDim(), false),
                    b.linear(VisionTensorNames.attnOut(i, "weight"), d, d),
                    t.vector(Gemma4VisionTensorNames.attnPostNorm(i), d, false),
                    t.vector(VisionTensorNames.ln2(i, "weight"), d, false),
                    b.linear(Gemma4VisionTensorNames.ffnGate(i, "weight"), c.ffn(), d),
                    b.linear(VisionTensorNames.ffnUp(i, "weight"), c.ffn(), d),
                    b.linear(VisionTensorNames.ffnDown(i, "weight"), d, c.ffn()),
                    t.vector(Gemma4VisionTensorNames.ffnPostNorm(i), d, false),
                    b.scalar(Gemma4VisionTensorNames.outScale(i), 1f)));
        }
        boolean unified = c.kind() == Gemma4VisionConfig.Kind.UNIFIED;
        GgufTensorInfo table = file.tensor(Gemma4VisionTensorNames.POSITION_EMBEDDING).orElseThrow(
                () -> t.error("missing tensor " + Gemma4VisionTensorNames.POSITION_EMBEDDING));
        long[] dims = table.dims();
        if (dims.length != 3 || dims[0] != d || dims[2] != 2 || dims[1] <= 0 || dims[1] > Integer.MAX_VALUE) {
            throw t.error("tensor " + Gemma4VisionTensorNames.POSITION_EMBEDDING + " has shape " + Arrays.toString(dims)
                    + ", expected [" + d + ", S, 2]");
        }
        int rows = (int) dims[1];
        FloatArray positions = t.floats(Gemma4VisionTensorNames.POSITION_EMBEDDING, table);
        FloatArray stdBias = unified ? null : t.vector(Gemma4VisionTensorNames.STD_BIAS, d, false);
        FloatArray stdScale = unified ? null : t.vector(Gemma4VisionTensorNames.STD_SCALE, d, false);
        if ((stdBias == null) != (stdScale == null)) {
            throw t.error("tensors " + Gemma4VisionTensorNames.STD_BIAS + " and " + Gemma4VisionTensorNames.STD_SCALE
                    + " come together; the file has only one of them");
        }
        List<FloatArray> normW = null;
        List<FloatArray> normB = null;
        if (unified) {
            normW = new ArrayList<>();
            normB = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                int len = n == 1 ? c.patchValues() : d;
                normW.add(t.vector(Gemma4VisionTensorNames.patchNorm(n, "weight"), len, true));
                normB.add(t.vector(Gemma4VisionTensorNames.patchNorm(n, "bias"), len, true));
            }
        }
        Weight patch = unified ? t.matrix(Gemma4VisionTensorNames.PATCH_EMBEDDING, d, c.patchValues())
                : t.patchConv(Gemma4VisionTensorNames.PATCH_EMBEDDING, c.encoderPatch(), d);
        // gemma4uv multiplies its projection plainly (no clamp_info_map, gemma4uv.cpp)
        ClippedLinear projection = unified
                ? ClippedLinear.unclipped(t.matrix(Gemma4VisionTensorNames.MM_INPUT_PROJECTION, c.projectionDim(), d))
                : b.linear(Gemma4VisionTensorNames.MM_INPUT_PROJECTION, c.projectionDim(), d);
        return new Gemma4VisionWeights(patch, unified ? t.vector(Gemma4VisionTensorNames.PATCH_BIAS, d, true) : null,
                positions, rows, layers, stdBias, stdScale, normW, normB, projection);
    }

    /** The Gemma 4 tensors that need more than the shared views: clipped linears and scalars. */
    private record Binder(MmprojTensors t) {
        /** A matrix with the clip bounds stored beside it. */
        ClippedLinear linear(String name, int rows, int cols) {
            Weight w = t.matrix(name, rows, cols);
            try {
                return new ClippedLinear(w,
                        scalar(Gemma4VisionTensorNames.clipBound(name, Gemma4VisionTensorNames.INPUT_MIN), -Float.MAX_VALUE),
                        scalar(Gemma4VisionTensorNames.clipBound(name, Gemma4VisionTensorNames.INPUT_MAX), Float.MAX_VALUE),
                        scalar(Gemma4VisionTensorNames.clipBound(name, Gemma4VisionTensorNames.OUTPUT_MIN), -Float.MAX_VALUE),
                        scalar(Gemma4VisionTensorNames.clipBound(name, Gemma4VisionTensorNames.OUTPUT_MAX), Float.MAX_VALUE));
            } catch (IllegalArgumentException e) {
                throw t.error(e.getMessage());
            }
        }

        /** A one-value F32 tensor (llama.cpp {@code get_scalar}), or {@code absent}. */
        float scalar(String name, float absent) {
            GgufTensorInfo info = t.file().tensor(name).orElse(null);
            if (info == null) {
                return absent;
            }
            if (info.type() != GgufTensorType.F32 || Arrays.stream(info.dims()).reduce(1, (x, y) -> x * y) != 1) {
                throw t.error("tensor " + name + " must be one F32 value, not " + info.type() + " "
                        + Arrays.toString(info.dims()));
            }
            return t.file().data(info).get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0);
        }
    }
}
