package io.tessera.pipeline.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.tasks.api.FloatArray;

/**
 * The weights of Gemma 3n's AltUp and LAuReL ({@link AltUpConfig}), beside the decoder's
 * {@link ModelWeights} (which hold its per-layer inputs): views of the memory-mapped file, checked
 * for presence and shape as llama.cpp's loader checks them ({@code src/models/gemma3n.cpp}
 * {@code load_arch_tensors}). H hidden, n streams, r LAuReL rank.
 *
 * @param streamProjections   n - 1 of (H, H): the input into streams 1..n-1 ({@code altup_proj} slices)
 * @param streamUnprojections n - 1 of (H, H): streams 1..n-1 back before the logits ({@code altup_unembd_proj})
 * @param layers              one per layer
 */
public record AltUpWeights(List<Weight> streamProjections, List<Weight> streamUnprojections, List<Layer> layers) {

    public AltUpWeights {
        streamProjections = List.copyOf(streamProjections);
        streamUnprojections = List.copyOf(streamUnprojections);
        layers = List.copyOf(layers);
    }

    /**
     * One layer's AltUp and LAuReL weights.
     *
     * @param correctCoef    (n, n)
     * @param correctScale   (H)
     * @param predictCoef    (n * n, n)
     * @param router         (n, H)
     * @param routerNorm     (H)
     * @param laurelLeft     (r, H)
     * @param laurelRight    (H, r)
     * @param laurelPostNorm (H)
     */
    public record Layer(Weight correctCoef, FloatArray correctScale, Weight predictCoef, Weight router,
                        FloatArray routerNorm, Weight laurelLeft, Weight laurelRight, FloatArray laurelPostNorm) {

        /** Every matrix and vector, matrices as weights. */
        public List<Object> tensors() {
            return List.of(correctCoef, correctScale, predictCoef, router, routerNorm, laurelLeft, laurelRight,
                    laurelPostNorm);
        }
    }

    /** Every matrix and vector, each once. */
    public List<Object> tensors() {
        List<Object> all = new ArrayList<>(streamProjections);
        all.addAll(streamUnprojections);
        layers.forEach(l -> all.addAll(l.tensors()));
        return all;
    }

    /** Binds the tensors of {@code file} for {@code config} and {@code altUp}. */
    public static AltUpWeights load(GgufFile file, ModelConfig config, AltUpConfig altUp, Arena arena,
                                    Consumer<String> progress) {
        ModelWeights.Binder b = new ModelWeights.Binder(file, config.architecture(), arena, progress);
        int h = config.hidden();
        int n = altUp.streams();
        int r = altUp.laurelRank();
        List<Weight> proj = slices(file, b, AltUpTensorNames.ALTUP_PROJ, h, n - 1);
        List<Weight> unproj = slices(file, b, AltUpTensorNames.ALTUP_UNEMBD_PROJ, h, n - 1);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < config.layerCount(); i++) {
            layers.add(new Layer(
                    b.matrix(AltUpTensorNames.altupCorrectCoef(i), n, n),
                    b.vector(AltUpTensorNames.altupCorrectScale(i), h),
                    b.matrix(AltUpTensorNames.altupPredictCoef(i), n * n, n),
                    b.matrix(AltUpTensorNames.altupRouter(i), n, h),
                    b.vector(AltUpTensorNames.altupRouterNorm(i), h),
                    b.matrix(AltUpTensorNames.laurelL(i), r, h),
                    b.matrix(AltUpTensorNames.laurelR(i), h, r),
                    b.vector(AltUpTensorNames.laurelPostNorm(i), h)));
        }
        return new AltUpWeights(proj, unproj, layers);
    }

    /** The (dim, dim) matrices of a [dim, dim, count] tensor, each a view of its part of the data. */
    private static List<Weight> slices(GgufFile file, ModelWeights.Binder b, String name, int dim, int count) {
        GgufTensorInfo t = b.require(name, dim, dim, count);
        MemorySegment data = file.data(t);
        long bytes = t.type().byteSize((long) dim * dim);
        List<Weight> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            try {
                out.add(Weight.of(name + "[" + s + "]", t.type(), dim, dim, data.asSlice(s * bytes, bytes)));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file.path().toString(), e.getMessage());
            }
        }
        return out;
    }
}
