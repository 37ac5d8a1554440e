package io.tessera.pipeline.audio.encoder;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.pipeline.vision.ClipKeys;

/**
 * Writes an audio-only {@code gemma4a} mmproj file (the Gemma 4 conformer) with seeded random F32
 * weights, in the tensor layout llama.cpp's {@code clip.cpp} loads ({@link ConformerTensorNames}),
 * for tests against other implementations and for benchmarks. Every optional bias is written, and
 * with {@code clamps} every clipped linear of the blocks and the input projection gets finite
 * clamp scalars that cut the tails of its input and output, so that the clamps are exercised. The
 * numbers mean nothing.
 *
 * @param melBins       {@code clip.audio.num_mel_bins} (128 is right; others are for error tests)
 * @param channels0     output channels of the first subsampling convolution
 * @param channels1     output channels of the second
 * @param hidden        conformer width
 * @param ffn           feed-forward width
 * @param layers        blocks
 * @param heads         attention heads
 * @param convKernel    depthwise convolution width (llama.cpp supports 5 only)
 * @param outputDim     width of the encoder's output projection
 * @param projectionDim text width
 * @param clamps        whether to write clamp scalars
 * @param seed          seed of the weights
 */
public record RandomGemma4aMmprojFile(int melBins, int channels0, int channels1, int hidden, int ffn, int layers,
                                      int heads, int convKernel, int outputDim, int projectionDim, boolean clamps,
                                      long seed) {
    public RandomGemma4aMmprojFile {
        if (hidden % heads != 0 || hidden % 2 != 0) {
            throw new IllegalArgumentException("width " + hidden + " must be even and divide into " + heads + " heads");
        }
    }

    /** A small conformer (width 64, 2 blocks, 4 heads) into {@code text}, with clamps. */
    public static RandomGemma4aMmprojFile small(int text, long seed) {
        return new RandomGemma4aMmprojFile(128, 8, 4, 64, 128, 2, 4, 5, 48, text, true, seed);
    }

    /** The E2B/E4B conformer shape (width 1024, 12 blocks, 8 heads, 128/32 channels, output 1536) into {@code text}. */
    public static RandomGemma4aMmprojFile gemma4(int text, long seed) {
        return new RandomGemma4aMmprojFile(128, 128, 32, 1024, 4096, 12, 8, 5, 1536, text, false, seed);
    }

    public RandomGemma4aMmprojFile withMelBins(int bins) {
        return new RandomGemma4aMmprojFile(bins, channels0, channels1, hidden, ffn, layers, heads, convKernel,
                outputDim, projectionDim, clamps, seed);
    }

    public void write(Path path) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString(GgufKeys.ARCHITECTURE, ClipKeys.ARCHITECTURE);
        w.putString(GgufKeys.NAME, "random gemma4a mmproj");
        w.putString(ClipKeys.AUDIO_PROJECTOR_TYPE, AudioProjectorType.GEMMA4A.ggufName());
        w.putBool(ClipKeys.HAS_AUDIO_ENCODER, true);
        w.putBool(ClipKeys.HAS_VISION_ENCODER, false);
        w.putUInt32(ClipKeys.AUDIO_NUM_MEL_BINS, melBins);
        w.putUInt32(ClipKeys.AUDIO_EMBEDDING_LENGTH, hidden);
        w.putUInt32(ClipKeys.AUDIO_FEED_FORWARD_LENGTH, ffn);
        w.putUInt32(ClipKeys.AUDIO_BLOCK_COUNT, layers);
        w.putUInt32(ClipKeys.AUDIO_HEAD_COUNT, heads);
        // llama.cpp ignores it for gemma4a (1e-6 fixed); a wrong value here shows that we do too
        w.putFloat32(ClipKeys.AUDIO_LAYER_NORM_EPSILON, 1e-3f);
        w.putUInt32(ClipKeys.AUDIO_PROJECTION_DIM, projectionDim);
        int mels = ConformerConfig.halved(ConformerConfig.halved(128));
        int features = mels * channels1;
        int hd = hidden / heads;
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared()) {
            Tensors t = new Tensors(w, arena, rnd);
            t.put(ConformerTensorNames.subsampleConv(0), 1 / 3.0, 0, 3, 3, 1, channels0);
            t.put(ConformerTensorNames.subsampleConvBias(0), 0.1, 0, 1, 1, channels0);
            t.put(ConformerTensorNames.subsampleNorm(0), 0.1, 1, channels0);
            t.put(ConformerTensorNames.subsampleConv(1), 1 / Math.sqrt(9.0 * channels0), 0, 3, 3, channels0, channels1);
            t.put(ConformerTensorNames.subsampleConvBias(1), 0.1, 0, 1, 1, channels1);
            t.put(ConformerTensorNames.subsampleNorm(1), 0.1, 1, channels1);
            t.linear(ConformerTensorNames.INPUT_PROJECTION, features, hidden, clamps);
            t.put(ConformerTensorNames.INPUT_PROJECTION_BIAS, 0.1, 0, hidden);
            for (int i = 0; i < layers; i++) {
                t.put(ConformerTensorNames.ffnNorm(i), 0.1, 1, hidden);
                t.linear(ConformerTensorNames.ffnUp(i), hidden, ffn, clamps);
                t.linear(ConformerTensorNames.ffnDown(i), ffn, hidden, clamps);
                t.put(ConformerTensorNames.ffnPostNorm(i), 0.1, 1, hidden);
                t.put(ConformerTensorNames.attnPreNorm(i), 0.1, 1, hidden);
                // q, k and v read one input, so their calibrated input ranges are one range; the
                // mtmd build we test against clamps that shared input in place (V's bounds, then K's,
                // then Q's), which agrees with separate clamps only when the bounds are equal
                double inMin = -(1.2 + rnd.nextDouble());
                double inMax = 1.2 + rnd.nextDouble();
                t.linear(ConformerTensorNames.attnQ(i), hidden, hidden, clamps, inMin, inMax);
                t.linear(ConformerTensorNames.attnK(i), hidden, hidden, clamps, inMin, inMax);
                t.linear(ConformerTensorNames.attnV(i), hidden, hidden, clamps, inMin, inMax);
                t.put(ConformerTensorNames.attnKRel(i), 1 / Math.sqrt(hidden), 0, hidden, hidden);
                // softplus of the trained parameter is stored; keep it positive
                t.put(ConformerTensorNames.perDimScale(i), 0.2, 1, hd);
                t.put(ConformerTensorNames.perDimKeyScale(i), 0.2, 1, hd);
                t.linear(ConformerTensorNames.attnOut(i), hidden, hidden, clamps);
                t.put(ConformerTensorNames.attnOutBias(i), 0.1, 0, hidden);
                t.put(ConformerTensorNames.attnPostNorm(i), 0.1, 1, hidden);
                t.put(ConformerTensorNames.convPreNorm(i), 0.1, 1, hidden);
                t.linear(ConformerTensorNames.convPointwise1(i), hidden, 2 * hidden, clamps);
                t.put(ConformerTensorNames.convDepthwise(i), 1 / Math.sqrt(convKernel), 0, convKernel, hidden);
                t.put(ConformerTensorNames.convDepthwiseBias(i), 0.1, 0, hidden);
                t.put(ConformerTensorNames.convNorm(i), 0.1, 1, hidden);
                t.linear(ConformerTensorNames.convPointwise2(i), hidden, hidden, clamps);
                t.put(ConformerTensorNames.ffn2Norm(i), 0.1, 1, hidden);
                t.linear(ConformerTensorNames.ffn2Up(i), hidden, ffn, clamps);
                t.linear(ConformerTensorNames.ffn2Down(i), ffn, hidden, clamps);
                t.put(ConformerTensorNames.ffn2PostNorm(i), 0.1, 1, hidden);
                t.put(ConformerTensorNames.outNorm(i), 0.1, 1, hidden);
            }
            t.linear(ConformerTensorNames.OUTPUT_PROJECTION, hidden, outputDim, false);
            t.put(ConformerTensorNames.OUTPUT_PROJECTION_BIAS, 0.1, 0, outputDim);
            t.put(ConformerTensorNames.MM_SOFT_EMB_NORM, 0.1, 1, outputDim);
            t.linear(ConformerTensorNames.MM_INPUT_PROJECTION, outputDim, projectionDim, false);
            w.write(path);
        }
    }

    /** Random F32 tensors: N(mean, sigma) values, ggml dims. */
    private record Tensors(GgufWriter w, Arena arena, SplittableRandom rnd) {
        void put(String name, double sigma, double mean, long... dims) {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            MemorySegment s = arena.allocate(4 * n);
            for (long i = 0; i < n; i++) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) (mean + sigma * rnd.nextGaussian()));
            }
            w.addTensor(name, GgufTensorType.F32, dims, s);
        }

        /** A linear in -&gt; out (ggml [in, out]); with clamps, bounds that cut roughly the outer 5-15%. */
        void linear(String name, int in, int out, boolean clamps) {
            linear(name, in, out, clamps, -(1.2 + rnd.nextDouble()), 1.2 + rnd.nextDouble());
        }

        void linear(String name, int in, int out, boolean clamps, double inMin, double inMax) {
            put(name, 1 / Math.sqrt(in), 0, in, out);
            if (clamps) {
                scalar(ConformerTensorNames.clamp(name, "input_min"), inMin);
                scalar(ConformerTensorNames.clamp(name, "input_max"), inMax);
                scalar(ConformerTensorNames.clamp(name, "output_min"), -(1.0 + rnd.nextDouble()));
                scalar(ConformerTensorNames.clamp(name, "output_max"), 1.0 + rnd.nextDouble());
            }
        }

        private void scalar(String name, double v) {
            MemorySegment s = arena.allocate(4);
            s.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 0, (float) v);
            w.addTensor(name, GgufTensorType.F32, new long[] {1}, s);
        }
    }
}
