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
 * Writes a {@code gemma3} mmproj file with seeded random weights in the layout llama.cpp's
 * converter produces (keys and tensor names of spec/MODELS.md §2.6; {@code mm.soft_emb_norm}
 * stored as 1 + w, the SigLIP norms as they are), for tests against other implementations and for
 * benchmarks. The numbers mean nothing.
 *
 * @param imageSize     input side
 * @param patchSize     patch side
 * @param hidden        ViT width
 * @param ffn           MLP width
 * @param layers        blocks
 * @param heads         attention heads
 * @param projectionDim text width
 * @param merge         pooling factor per side ({@code scale_factor} is written when it is not 4)
 * @param matrixType    type of the block matrices, the patch convolution and the projection
 * @param seed          seed of the weights
 */
public record RandomMmprojFile(int imageSize, int patchSize, int hidden, int ffn, int layers, int heads,
                               int projectionDim, int merge, GgufTensorType matrixType, long seed) {

    public RandomMmprojFile {
        if (imageSize % patchSize != 0 || (imageSize / patchSize) % merge != 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("inconsistent vision shape: image " + imageSize + ", patch " + patchSize
                    + ", merge " + merge + ", width " + hidden + ", heads " + heads);
        }
    }

    /** SigLIP-So400m/14 at 896 with the Gemma 3 projector into {@code text} (27 layers, 1152, 4304, 16 heads). */
    public static RandomMmprojFile gemma3(int imageSize, int text, GgufTensorType type, long seed) {
        return new RandomMmprojFile(imageSize, 14, 1152, 4304, 27, 16, text, imageSize / 14 / 16, type, seed);
    }

    public void write(Path path) throws IOException {
        int patches = (imageSize / patchSize) * (imageSize / patchSize);
        GgufWriter w = new GgufWriter();
        w.putString(GgufKeys.ARCHITECTURE, ClipKeys.ARCHITECTURE);
        w.putString(GgufKeys.NAME, "random gemma3 mmproj");
        w.putString(ClipKeys.PROJECTOR_TYPE, ProjectorType.GEMMA3.ggufName());
        w.putBool(ClipKeys.HAS_VISION_ENCODER, true);
        w.putBool(ClipKeys.USE_GELU, true);
        w.putUInt32(ClipKeys.IMAGE_SIZE, imageSize);
        w.putUInt32(ClipKeys.PATCH_SIZE, patchSize);
        w.putUInt32(ClipKeys.EMBEDDING_LENGTH, hidden);
        w.putUInt32(ClipKeys.FEED_FORWARD_LENGTH, ffn);
        w.putUInt32(ClipKeys.BLOCK_COUNT, layers);
        w.putUInt32(ClipKeys.HEAD_COUNT, heads);
        w.putFloat32(ClipKeys.LAYER_NORM_EPSILON, 1e-6f);
        w.putUInt32(ClipKeys.PROJECTION_DIM, projectionDim);
        w.putFloats(ClipKeys.IMAGE_MEAN, 0.5f, 0.5f, 0.5f);
        w.putFloats(ClipKeys.IMAGE_STD, 0.5f, 0.5f, 0.5f);
        if (merge != 4) {
            w.putUInt32(ClipKeys.PROJECTOR_SCALE_FACTOR, merge);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared()) {
            int values = 3 * patchSize * patchSize;
            tensor(w, arena, rnd, VisionTensorNames.PATCH_EMBEDDING, matrixType,
                    new long[] {patchSize, patchSize, 3, hidden}, 1 / Math.sqrt(values), 0);
            tensor(w, arena, rnd, VisionTensorNames.PATCH_BIAS, GgufTensorType.F32, new long[] {hidden}, 0.1, 0);
            tensor(w, arena, rnd, VisionTensorNames.POSITION_EMBEDDING, GgufTensorType.F32,
                    new long[] {hidden, patches}, 0.5, 0);
            for (int i = 0; i < layers; i++) {
                norm(w, arena, rnd, VisionTensorNames.ln1(i, "weight"), VisionTensorNames.ln1(i, "bias"));
                linear(w, arena, rnd, VisionTensorNames.attnQ(i, "weight"), VisionTensorNames.attnQ(i, "bias"), hidden,
                        hidden);
                linear(w, arena, rnd, VisionTensorNames.attnK(i, "weight"), VisionTensorNames.attnK(i, "bias"), hidden,
                        hidden);
                linear(w, arena, rnd, VisionTensorNames.attnV(i, "weight"), VisionTensorNames.attnV(i, "bias"), hidden,
                        hidden);
                linear(w, arena, rnd, VisionTensorNames.attnOut(i, "weight"), VisionTensorNames.attnOut(i, "bias"),
                        hidden, hidden);
                norm(w, arena, rnd, VisionTensorNames.ln2(i, "weight"), VisionTensorNames.ln2(i, "bias"));
                linear(w, arena, rnd, VisionTensorNames.ffnUp(i, "weight"), VisionTensorNames.ffnUp(i, "bias"), ffn,
                        hidden);
                linear(w, arena, rnd, VisionTensorNames.ffnDown(i, "weight"), VisionTensorNames.ffnDown(i, "bias"),
                        hidden, ffn);
            }
            norm(w, arena, rnd, VisionTensorNames.POST_LN_WEIGHT, VisionTensorNames.POST_LN_BIAS);
            tensor(w, arena, rnd, VisionTensorNames.MM_INPUT_PROJECTION, matrixType,
                    new long[] {projectionDim, hidden}, 1 / Math.sqrt(hidden), 0);
            tensor(w, arena, rnd, VisionTensorNames.MM_SOFT_EMB_NORM, GgufTensorType.F32, new long[] {hidden}, 0.2, 1);
            w.write(path);
        }
    }

    /** A (rows, cols) matrix, ggml [cols, rows], and its bias. */
    private void linear(GgufWriter w, Arena arena, SplittableRandom rnd, String weight, String bias, int rows,
                        int cols) {
        tensor(w, arena, rnd, weight, matrixType, new long[] {cols, rows}, 1 / Math.sqrt(cols), 0);
        tensor(w, arena, rnd, bias, GgufTensorType.F32, new long[] {rows}, 0.1, 0);
    }

    private void norm(GgufWriter w, Arena arena, SplittableRandom rnd, String weight, String bias) {
        tensor(w, arena, rnd, weight, GgufTensorType.F32, new long[] {hidden}, 0.1, 1);
        tensor(w, arena, rnd, bias, GgufTensorType.F32, new long[] {hidden}, 0.1, 0);
    }

    /** N(mean, sigma) values in F32, F16 or BF16. */
    private static void tensor(GgufWriter w, Arena arena, SplittableRandom rnd, String name, GgufTensorType type,
                               long[] dims, double sigma, double mean) {
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
