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
 * Writes an audio-only {@code gemma4ua} mmproj file with a seeded random projection, with the keys
 * llama.cpp requires of any audio part (clip.cpp {@code load_hparams}; gemma4ua reads none of the
 * encoder sizes, so they are written as the frame width and no blocks: llama.cpp binds a.blk.N tensors for each block), for tests against other
 * implementations. The numbers mean nothing.
 *
 * @param projectionDim text width
 * @param melBins       {@code clip.audio.num_mel_bins} to write (640 is right; others are for error tests)
 * @param type          type of the projection (F32, F16 or BF16)
 * @param seed          seed of the weights
 */
public record RandomGemma4uaMmprojFile(int projectionDim, int melBins, GgufTensorType type, long seed) {
    public static final int FRAME = 640;

    public RandomGemma4uaMmprojFile(int projectionDim, GgufTensorType type, long seed) {
        this(projectionDim, FRAME, type, seed);
    }

    public void write(Path path) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString(GgufKeys.ARCHITECTURE, ClipKeys.ARCHITECTURE);
        w.putString(GgufKeys.NAME, "random gemma4ua mmproj");
        w.putString(ClipKeys.AUDIO_PROJECTOR_TYPE, AudioProjectorType.GEMMA4UA.ggufName());
        w.putBool(ClipKeys.HAS_AUDIO_ENCODER, true);
        w.putBool(ClipKeys.HAS_VISION_ENCODER, false);
        w.putUInt32(ClipKeys.AUDIO_NUM_MEL_BINS, melBins);
        w.putUInt32(ClipKeys.AUDIO_EMBEDDING_LENGTH, FRAME);
        w.putUInt32(ClipKeys.AUDIO_FEED_FORWARD_LENGTH, FRAME);
        w.putUInt32(ClipKeys.AUDIO_BLOCK_COUNT, 0);
        w.putUInt32(ClipKeys.AUDIO_HEAD_COUNT, 1);
        w.putFloat32(ClipKeys.AUDIO_LAYER_NORM_EPSILON, 1e-6f);
        w.putUInt32(ClipKeys.AUDIO_PROJECTION_DIM, projectionDim);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared()) {
            long n = (long) FRAME * projectionDim;
            MemorySegment s = arena.allocate(type.byteSize(n));
            // RMS-normalised frames have unit scale: weights of 1/sqrt(F) give soft tokens of unit scale
            double sigma = 1 / Math.sqrt(FRAME);
            for (long i = 0; i < n; i++) {
                float v = (float) (sigma * rnd.nextGaussian());
                switch (type) {
                    case F32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
                    case F16 -> s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(v));
                    case BF16 -> {
                        int bits = Float.floatToRawIntBits(v);
                        bits += 0x7FFF + ((bits >>> 16) & 1);
                        s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (bits >>> 16));
                    }
                    default -> throw new IllegalArgumentException("cannot write random " + type + " audio weights");
                }
            }
            w.addTensor(AudioTensorNames.MM_A_INPUT_PROJECTION, type, new long[] {FRAME, projectionDim}, s);
            w.write(path);
        }
    }
}
