package io.tessera.pipeline.model;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;

/**
 * Writes a Gemma 3n text-decoder GGUF file with seeded random F32 weights in the layout of
 * llama.cpp's converter ({@code conversion/gemma.py} {@code Gemma3NModel}; tensors of
 * {@code src/models/gemma3n.cpp}): the keys it writes (sliding layers as a bool list, shared KV
 * layers, per-layer input width, AltUp stream count, per-layer sparsity cut-offs) and the values
 * llama.cpp's graph fixes in code (4 AltUp streams, per-layer width 256, LAuReL rank 64, KV of its
 * own for the first 20 layers, sparsity on the first 10), with the vocabulary of
 * {@link RandomGemmaFile}, and an untied output matrix. Norms are plain weights. For comparisons with
 * llama.cpp; the numbers mean nothing.
 *
 * @param layers   decoder layers; more than 20 exercise KV sharing (the later ones read layer 18 or 19)
 * @param hidden   embedding width
 * @param ffn      feed-forward width
 * @param heads    query heads
 * @param kvHeads  key/value heads
 * @param headDim  head width
 * @param vocab    vocabulary size, at least 262
 * @param window   sliding window
 * @param ropeBase {@code rope.freq_base} (global layers)
 * @param swaBase  {@code rope.freq_base_swa} (local layers)
 * @param seed     seed of the weights
 * @param type     type of the matrices (F32, F16, Q8_0 or Q4_0); the AltUp coefficients and routers,
 *                 whose rows are n = 4 wide, stay F32 as llama.cpp's quantizer leaves them
 */
public record RandomGemma3nFile(int layers, int hidden, int ffn, int heads, int kvHeads, int headDim, int vocab,
                                int window, float ropeBase, float swaBase, long seed, GgufTensorType type) {
    public static final int STREAMS = 4;
    public static final int PER_LAYER = 256;
    public static final int LAUREL_RANK = 64;
    public static final int KV_LAYERS = 20;

    public RandomGemma3nFile {
        if (layers < 2 || window <= 0) {
            throw new IllegalArgumentException("need at least 2 layers and a positive window");
        }
    }

    /** Whether layer i slides: four local layers, then one global (Gemma 3n's layer_types). */
    public static boolean local(int i) {
        return i % 5 < 4;
    }

    public void write(Path path) throws IOException {
        write(path, Map.of());
    }

    /**
     * Writes the file with some keys changed: each key of {@code changes} gets its value, or is left
     * out where the value is empty (for tests of files that llama.cpp's converter would not write).
     */
    public void write(Path path, Map<String, Optional<GgufValue>> changes) throws IOException {
        String a = Architecture.GEMMA3N.ggufName();
        RandomGemmaFile vocabulary = new RandomGemmaFile(Architecture.GEMMA3, 1, hidden, ffn, heads, kvHeads, headDim,
                vocab, window, 512, GgufTensorType.F32, GgufTensorType.F32, ropeBase, 1f, 0f, 0f, seed);
        GgufWriter w = new GgufWriter();
        keys(a, vocabulary).metadata().forEach((key, value) -> {
            if (!changes.containsKey(key)) {
                w.put(key, value);
            }
        });
        changes.forEach((key, value) -> value.ifPresent(v -> w.put(key, v)));

        SplittableRandom rnd = new SplittableRandom(seed);
        int h = hidden;
        int pl = PER_LAYER * layers;
        try (Arena arena = Arena.ofShared()) {
            Tensors t = new Tensors(w, arena, rnd, type);
            t.matrix(TensorNames.TOKEN_EMBEDDING, 2.0 / Math.sqrt(h), h, vocab);
            // an output matrix of its own (llama.cpp loads output.weight when present, else ties it): with
            // the tied table a random model soon predicts the token it was fed, again and again
            t.matrix(TensorNames.OUTPUT, 2.0 / Math.sqrt(h), h, vocab);
            t.norm(TensorNames.OUTPUT_NORM, h);
            t.matrix(AltUpTensorNames.ALTUP_PROJ, 1 / Math.sqrt(h), h, h, STREAMS - 1);
            t.matrix(AltUpTensorNames.ALTUP_UNEMBD_PROJ, 1 / Math.sqrt(h), h, h, STREAMS - 1);
            t.matrix(TensorNames.PER_LAYER_TOKEN_EMBEDDING, 1 / Math.sqrt(PER_LAYER), pl, vocab);
            t.matrix(TensorNames.PER_LAYER_MODEL_PROJECTION, 1 / Math.sqrt(h), h, pl);
            t.norm(TensorNames.PER_LAYER_PROJECTION_NORM, PER_LAYER);
            for (int i = 0; i < layers; i++) {
                t.norm(TensorNames.attnNorm(i), h);
                t.matrix(TensorNames.attnQ(i), 1 / Math.sqrt(h), h, heads * headDim);
                t.matrix(TensorNames.attnK(i), 1 / Math.sqrt(h), h, kvHeads * headDim);
                t.matrix(TensorNames.attnV(i), 1 / Math.sqrt(h), h, kvHeads * headDim);
                // unscaled attention over QK-normed heads: norms of 0.4 keep the softmax from being
                // so peaked that float rounding differences decide it
                t.norm(TensorNames.attnQNorm(i), headDim, 0.4);
                t.norm(TensorNames.attnKNorm(i), headDim, 0.4);
                t.matrix(TensorNames.attnOutput(i), 1 / Math.sqrt(heads * headDim), heads * headDim, h);
                t.norm(TensorNames.postAttentionNorm(i), h);
                t.norm(TensorNames.ffnNorm(i), h);
                t.matrix(TensorNames.ffnGate(i), 1 / Math.sqrt(h), h, ffn);
                t.matrix(TensorNames.ffnUp(i), 1 / Math.sqrt(h), h, ffn);
                t.matrix(TensorNames.ffnDown(i), 1 / Math.sqrt(ffn), ffn, h);
                // ggml's GELU rounds through a float16 table (ggml-cpu vec.h GGML_GELU_FP16): smaller
                // outputs of the blocks that use it keep that rounding below the comparison's bound
                t.norm(TensorNames.postFfwNorm(i), h, 0.15);
                t.matrix(TensorNames.perLayerInputGate(i), 1 / Math.sqrt(h), h, PER_LAYER);
                t.matrix(TensorNames.perLayerProjection(i), 1 / Math.sqrt(PER_LAYER), PER_LAYER, h);
                t.norm(TensorNames.perLayerPostNorm(i), h, 0.15);
                // small mixing coefficients keep the predicted streams from growing layer after layer
                t.random(AltUpTensorNames.altupCorrectCoef(i), 0.1, STREAMS, STREAMS);
                t.norm(AltUpTensorNames.altupCorrectScale(i), h);
                t.random(AltUpTensorNames.altupPredictCoef(i), 0.05, STREAMS, STREAMS * STREAMS);
                // the router reads rmsNorm(x) / hidden: weights of sqrt(hidden) give modalities of order 1
                t.random(AltUpTensorNames.altupRouter(i), Math.sqrt(h), h, STREAMS);
                t.norm(AltUpTensorNames.altupRouterNorm(i), h);
                t.matrix(AltUpTensorNames.laurelL(i), 1 / Math.sqrt(h), h, LAUREL_RANK);
                t.matrix(AltUpTensorNames.laurelR(i), 1 / Math.sqrt(LAUREL_RANK), LAUREL_RANK, h);
                t.norm(AltUpTensorNames.laurelPostNorm(i), h);
            }
            w.write(path);
        }
    }

    /** The metadata llama.cpp's converter writes for a Gemma 3n text model of this shape. */
    private GgufWriter keys(String a, RandomGemmaFile vocabulary) {
        GgufWriter w = new GgufWriter();
        w.putString(GgufKeys.ARCHITECTURE, a);
        w.putString(GgufKeys.NAME, "random " + a);
        w.putUInt32(GgufKeys.contextLength(a), 32_768);
        w.putUInt32(GgufKeys.embeddingLength(a), hidden);
        w.putUInt32(GgufKeys.blockCount(a), layers);
        w.putUInt32(GgufKeys.feedForwardLength(a), ffn);
        w.putUInt32(GgufKeys.headCount(a), heads);
        w.putUInt32(GgufKeys.headCountKv(a), kvHeads);
        w.putUInt32(GgufKeys.keyLength(a), headDim);
        w.putUInt32(GgufKeys.valueLength(a), headDim);
        w.putFloat32(GgufKeys.rmsNormEpsilon(a), 1e-6f);
        w.putFloat32(GgufKeys.ropeFreqBase(a), ropeBase);
        w.putFloat32(GgufKeys.ropeFreqBaseSwa(a), swaBase);
        w.putUInt32(GgufKeys.slidingWindow(a), window);
        w.putFloat32(GgufKeys.finalLogitSoftcapping(a), 30f);
        boolean[] pattern = new boolean[layers];
        float[] sparsity = new float[layers];
        for (int i = 0; i < layers; i++) {
            pattern[i] = local(i);
            sparsity[i] = i < AltUpConfig.SPARSE_LAYERS ? AltUpConfig.STD_MULTIPLIER : Float.NEGATIVE_INFINITY;
        }
        w.put(GgufKeys.slidingWindowPattern(a), new GgufValue.Array(GgufValueType.BOOL, pattern));
        w.putUInt32(GgufKeys.sharedKvLayers(a), Math.max(0, layers - KV_LAYERS));
        w.putUInt32(GgufKeys.embeddingLengthPerLayerInput(a), PER_LAYER);
        w.putUInt32(GgufKeys.altupNumInputs(a), STREAMS);
        w.putUInt32(GgufKeys.altupActiveIdx(a), 0);
        w.putFloats(GgufKeys.activationSparsityScale(a), sparsity);
        RandomGemmaFile.writeVocabulary(w, vocabulary.vocabulary());
        return w;
    }

    /** Tensors of seeded values, dims in ggml order: matrices in {@code type}, the rest F32. */
    private record Tensors(GgufWriter w, Arena arena, SplittableRandom rnd, GgufTensorType type) {
        void random(String name, double sigma, long... dims) {
            add(name, dims, () -> (float) (sigma * rnd.nextGaussian()));
        }

        /** N(0, sigma) values stored in the file's matrix type, row by row (ne0 values each). */
        void matrix(String name, double sigma, long... dims) {
            if (type == GgufTensorType.F32) {
                random(name, sigma, dims);
                return;
            }
            int cols = (int) dims[0];
            long rows = 1;
            for (int d = 1; d < dims.length; d++) {
                rows *= dims[d];
            }
            MemorySegment s = arena.allocate(type.byteSize(rows * cols));
            float[] row = new float[cols];
            for (long r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    row[j] = (float) (sigma * rnd.nextGaussian());
                }
                long at = type.byteSize(r * cols);
                switch (type) {
                    case F16 -> {
                        for (int j = 0; j < cols; j++) {
                            s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2L * j, Float.floatToFloat16(row[j]));
                        }
                    }
                    case Q8_0 -> RandomGemmaFile.quantizeQ8_0(row, s, at);
                    case Q4_0 -> RandomGemmaFile.quantizeQ4_0(row, s, at);
                    default -> throw new IllegalArgumentException("cannot write random " + type + " matrices");
                }
            }
            w.addTensor(name, type, dims, s);
        }

        /** A plain norm weight near 1 (Gemma 3n's converter adds nothing). */
        void norm(String name, int n) {
            norm(name, n, 1);
        }

        /** A plain norm weight near {@code center}, spread by a fifth of it. */
        void norm(String name, int n, double center) {
            add(name, new long[] {n}, () -> (float) (center * (1 + 0.2 * rnd.nextGaussian())));
        }

        private void add(String name, long[] dims, java.util.function.Supplier<Float> value) {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            MemorySegment s = arena.allocate(4 * n);
            for (long i = 0; i < n; i++) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, value.get());
            }
            w.addTensor(name, GgufTensorType.F32, dims, s);
        }
    }
}
