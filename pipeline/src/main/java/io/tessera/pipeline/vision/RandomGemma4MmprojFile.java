package io.tessera.pipeline.vision;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufWriter;

/**
 * Writes a {@code gemma4v} or {@code gemma4uv} mmproj file with seeded random weights in the layout
 * llama.cpp's Gemma 4 converter produces (conversion/gemma.py {@code Gemma4VisionAudioModel},
 * {@code Gemma4UnifiedVisionAudioModel}; names of {@link Gemma4VisionTensorNames}), for tests
 * against other implementations and for benchmarks. The numbers mean nothing. With {@code clipped}
 * every linear gets input and output bounds tight enough to bite. Linears that read the same input
 * (q, k, v; gate, up) get the same input bounds: llama.cpp clips an input in place (ggml_clamp is a
 * view), so there one linear's input clip also reaches the others that read the tensor after it,
 * while HF clips a copy per linear; with equal bounds the two agree.
 *
 * <p>The converter writes 0 heads for the encoder-free gemma4uv; this writes 1, which nothing reads,
 * so that readers that divide the width by the head count (older mtmd releases) do not fault.
 *
 * @param kind          gemma4v or gemma4uv
 * @param patchSize     patch side (16)
 * @param hidden        tower width (gemma4uv: embedder width)
 * @param ffn           MLP width (gemma4v)
 * @param layers        blocks (gemma4v)
 * @param heads         attention heads (gemma4v)
 * @param projectionDim text width
 * @param positionRows  length S of each position table
 * @param clipped       whether linears carry clip bounds
 * @param standardize   whether to write {@code v.std_bias} / {@code v.std_scale} (gemma4v)
 * @param matrixType    type of the matrices
 * @param seed          seed of the weights
 */
public record RandomGemma4MmprojFile(Gemma4VisionConfig.Kind kind, int patchSize, int hidden, int ffn, int layers,
                                     int heads, int projectionDim, int positionRows, boolean clipped,
                                     boolean standardize, GgufTensorType matrixType, long seed) {
    private static final int MERGE = 3;

    public RandomGemma4MmprojFile {
        if (kind == Gemma4VisionConfig.Kind.ENCODER && (heads <= 0 || hidden % heads != 0
                || (hidden / heads) % 4 != 0 || layers <= 0 || ffn <= 0)) {
            throw new IllegalArgumentException("inconsistent gemma4v shape: width " + hidden + ", heads " + heads
                    + ", layers " + layers + ", ffn " + ffn);
        }
    }

    /** A small gemma4v tower: patch 16, width 64, 2 blocks, 4 heads of 16, MLP 128, clipped and standardised. */
    public static RandomGemma4MmprojFile encoder(int text, int positionRows, long seed) {
        return new RandomGemma4MmprojFile(Gemma4VisionConfig.Kind.ENCODER, 16, 64, 128, 2, 4, text, positionRows, true,
                true, GgufTensorType.F32, seed);
    }

    /** A small gemma4uv embedder: 48-pixel patches projected to width 64, then into {@code text}. */
    public static RandomGemma4MmprojFile unified(int text, int positionRows, long seed) {
        return new RandomGemma4MmprojFile(Gemma4VisionConfig.Kind.UNIFIED, 16, 64, 0, 0, 1, text, positionRows, false,
                false, GgufTensorType.F32, seed);
    }

    public void write(Path path) throws IOException {
        boolean unified = kind == Gemma4VisionConfig.Kind.UNIFIED;
        GgufWriter w = new GgufWriter();
        w.putString(GgufKeys.ARCHITECTURE, ClipKeys.ARCHITECTURE);
        w.putString(GgufKeys.NAME, "random " + kind.ggufName() + " mmproj");
        // the converter names the vision projector in its own key (the file may also hold audio)
        w.putString(unified ? ClipKeys.PROJECTOR_TYPE : ClipKeys.VISION_PROJECTOR_TYPE, kind.ggufName());
        w.putBool(ClipKeys.HAS_VISION_ENCODER, true);
        w.putBool(ClipKeys.USE_GELU, true);
        w.putUInt32(ClipKeys.IMAGE_SIZE, 224); // unused (the converter writes 224 "to avoid error")
        w.putUInt32(ClipKeys.PATCH_SIZE, patchSize);
        w.putUInt32(ClipKeys.EMBEDDING_LENGTH, hidden);
        w.putUInt32(ClipKeys.FEED_FORWARD_LENGTH, unified ? 0 : ffn);
        w.putUInt32(ClipKeys.BLOCK_COUNT, unified ? 0 : layers);
        w.putUInt32(ClipKeys.HEAD_COUNT, heads);
        w.putFloat32(ClipKeys.LAYER_NORM_EPSILON, 1e-6f);
        w.putUInt32(ClipKeys.PROJECTION_DIM, projectionDim);
        // Gemma 4 takes pixels in [0, 1] (mean 0, std 1); the embedder here gets a real normalisation to exercise it
        w.putFloats(ClipKeys.IMAGE_MEAN, unified ? new float[] {0.5f, 0.4f, 0.3f} : new float[] {0f, 0f, 0f});
        w.putFloats(ClipKeys.IMAGE_STD, unified ? new float[] {0.25f, 0.3f, 0.35f} : new float[] {1f, 1f, 1f});
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared()) {
            Tensors t = new Tensors(w, arena, rnd);
            if (unified) {
                int p = patchSize * MERGE;
                int values = 3 * p * p;
                t.add(Gemma4VisionTensorNames.patchNorm(1, "weight"), GgufTensorType.F32, 0.2, 1, values);
                t.add(Gemma4VisionTensorNames.patchNorm(1, "bias"), GgufTensorType.F32, 0.1, 0, values);
                t.add(Gemma4VisionTensorNames.PATCH_EMBEDDING, matrixType, 1 / Math.sqrt(values), 0, values, hidden);
                t.add(Gemma4VisionTensorNames.PATCH_BIAS, GgufTensorType.F32, 0.1, 0, hidden);
                t.add(Gemma4VisionTensorNames.patchNorm(2, "weight"), GgufTensorType.F32, 0.2, 1, hidden);
                t.add(Gemma4VisionTensorNames.patchNorm(2, "bias"), GgufTensorType.F32, 0.1, 0, hidden);
                t.add(Gemma4VisionTensorNames.POSITION_EMBEDDING, GgufTensorType.F32, 0.5, 0, hidden, positionRows, 2);
                t.add(Gemma4VisionTensorNames.patchNorm(3, "weight"), GgufTensorType.F32, 0.2, 1, hidden);
                t.add(Gemma4VisionTensorNames.patchNorm(3, "bias"), GgufTensorType.F32, 0.1, 0, hidden);
                t.add(Gemma4VisionTensorNames.MM_INPUT_PROJECTION, matrixType, 1 / Math.sqrt(hidden), 0, hidden,
                        projectionDim);
                w.write(path);
                return;
            }
            int hd = hidden / heads;
            t.add(Gemma4VisionTensorNames.PATCH_EMBEDDING, matrixType, 1 / Math.sqrt(3.0 * patchSize * patchSize), 0,
                    patchSize, patchSize, 3, hidden);
            t.add(Gemma4VisionTensorNames.POSITION_EMBEDDING, GgufTensorType.F32, 0.5, 0, hidden, positionRows, 2);
            for (int i = 0; i < layers; i++) {
                t.add(VisionTensorNames.ln1(i, "weight"), GgufTensorType.F32, 0.1, 1, hidden);
                t.linear(VisionTensorNames.attnQ(i, "weight"), hidden, hidden, clipped, 0, 0);
                t.linear(VisionTensorNames.attnK(i, "weight"), hidden, hidden, clipped, 0, 1);
                t.linear(VisionTensorNames.attnV(i, "weight"), hidden, hidden, clipped, 0, 2);
                t.add(Gemma4VisionTensorNames.attnQNorm(i), GgufTensorType.F32, 0.1, 1, hd);
                t.add(Gemma4VisionTensorNames.attnKNorm(i), GgufTensorType.F32, 0.1, 1, hd);
                t.linear(VisionTensorNames.attnOut(i, "weight"), hidden, hidden, clipped, 1, 3);
                t.add(Gemma4VisionTensorNames.attnPostNorm(i), GgufTensorType.F32, 0.1, 1, hidden);
                t.add(VisionTensorNames.ln2(i, "weight"), GgufTensorType.F32, 0.1, 1, hidden);
                t.linear(Gemma4VisionTensorNames.ffnGate(i, "weight"), ffn, hidden, clipped, 2, 4);
                t.linear(VisionTensorNames.ffnUp(i, "weight"), ffn, hidden, clipped, 2, 5);
                t.linear(VisionTensorNames.ffnDown(i, "weight"), hidden, ffn, clipped, 3, 6);
                t.add(Gemma4VisionTensorNames.ffnPostNorm(i), GgufTensorType.F32, 0.1, 1, hidden);
                t.add(Gemma4VisionTensorNames.outScale(i), GgufTensorType.F32, 0.1, 0.9, 1);
            }
            if (standardize) {
                t.add(Gemma4VisionTensorNames.STD_BIAS, GgufTensorType.F32, 0.3, 0, hidden);
                t.add(Gemma4VisionTensorNames.STD_SCALE, GgufTensorType.F32, 0.2, 1, hidden);
            }
            t.linear(Gemma4VisionTensorNames.MM_INPUT_PROJECTION, projectionDim, hidden, clipped, 4, 7);
            w.write(path);
        }
    }

    private final class Tensors {
        final GgufWriter w;
        final Arena arena;
        final SplittableRandom rnd;

        Tensors(GgufWriter w, Arena arena, SplittableRandom rnd) {
            this.w = w;
            this.arena = arena;
            this.rnd = rnd;
        }

        /**
         * A (rows, cols) matrix, ggml [cols, rows], and with {@code clip} its four bounds: input
         * bounds by {@code input} (the same for linears of one input), output bounds by {@code output}.
         */
        void linear(String weight, int rows, int cols, boolean clip, int input, int output) {
            add(weight, matrixType, 1 / Math.sqrt(cols), 0, cols, rows);
            if (clip) {
                // inputs are RMS-normalised (about unit size), outputs about unit size: these bounds cut the tails
                scalar(Gemma4VisionTensorNames.clipBound(weight, Gemma4VisionTensorNames.INPUT_MIN), -1.5f - 0.1f * input);
                scalar(Gemma4VisionTensorNames.clipBound(weight, Gemma4VisionTensorNames.INPUT_MAX), 1.25f + 0.1f * input);
                scalar(Gemma4VisionTensorNames.clipBound(weight, Gemma4VisionTensorNames.OUTPUT_MIN), -1f - 0.05f * output);
                scalar(Gemma4VisionTensorNames.clipBound(weight, Gemma4VisionTensorNames.OUTPUT_MAX), 1.1f + 0.05f * output);
            }
        }

        void scalar(String name, float v) {
            MemorySegment s = arena.allocate(4);
            s.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 0, v);
            w.addTensor(name, GgufTensorType.F32, new long[] {1}, s);
        }

        /** N(mean, sigma) values in F32, F16 or BF16 of ggml shape {@code dims}. */
        void add(String name, GgufTensorType type, double sigma, double mean, long... dims) {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            MemorySegment s = arena.allocate(type.byteSize(n));
            for (long i = 0; i < n; i++) {
                float v = (float) (mean + sigma * rnd.nextGaussian());
                switch (type) {
                    case F32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
                    case F16 -> s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(v));
                    case BF16 -> {
                        int bits = Float.floatToRawIntBits(v);
                        bits += 0x7FFF + ((bits >>> 16) & 1);
                        s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (bits >>> 16));
                    }
                    default -> throw new IllegalArgumentException("cannot write random " + type + " vision weights");
                }
            }
            w.addTensor(name, type, dims, s);
        }
    }
}
