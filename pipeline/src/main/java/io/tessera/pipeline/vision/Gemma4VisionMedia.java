package io.tessera.pipeline.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.tessera.media.FloatTensor;
import io.tessera.media.image.RgbImage;
import io.tessera.media.video.VideoFrame;

/**
 * Images and video frames for a Gemma 4 vision projector: each is sized to its budget
 * ({@link Gemma4ImagePreprocessing}: images at 280 soft tokens, frames at 70, spec/MODELS.md §4.2),
 * so every one has its own token count, known before anything is encoded. Image files are encoded
 * at once; frames batch by batch when the decoder reaches them, as {@link VideoFrames} does.
 *
 * @param encoder the projector
 * @param images  the image files, decoded, in prompt order
 * @param frames  the video's sampled frames, or none
 * @param imageSizing sizing of the image files
 * @param frameSizing sizing of the frames
 */
public record Gemma4VisionMedia(Gemma4VisionEncoder encoder, List<RgbImage> images, List<VideoFrame> frames,
                                Gemma4ImagePreprocessing imageSizing, Gemma4ImagePreprocessing frameSizing) {
    public Gemma4VisionMedia {
        images = List.copyOf(images);
        frames = List.copyOf(frames);
    }

    /** With the official budgets (HF processor defaults). */
    public static Gemma4VisionMedia official(Gemma4VisionEncoder encoder, List<RgbImage> images,
                                             List<VideoFrame> frames) {
        return new Gemma4VisionMedia(encoder, images, frames, Gemma4ImagePreprocessing.images(),
                Gemma4ImagePreprocessing.videoFrames());
    }

    /** Soft tokens of each image file, in order. */
    public List<Integer> imageTokens() {
        return images.stream().map(im -> tokens(imageSizing, im)).toList();
    }

    /** Soft tokens of each frame (the frames of one video share a size), or 0 without frames. */
    public int frameTokens() {
        return frames.isEmpty() ? 0 : tokens(frameSizing, frames.get(0).image());
    }

    /** The largest block of soft tokens, which a prefill tile must hold. */
    public int largestBlock() {
        return Math.max(frameTokens(), imageTokens().stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    private int tokens(Gemma4ImagePreprocessing sizing, RgbImage im) {
        Gemma4VisionConfig c = encoder.config();
        int[] size = sizing.outputSize(im.width(), im.height(), c.unit());
        return c.softTokens(size[0], size[1]);
    }

    /** Soft tokens of image i, (tokens, width) row-major: the image files first, then the frames. */
    public IntFunction<float[]> embeddings(int frameBatch) {
        if (frameBatch <= 0) {
            throw new IllegalArgumentException("the batch must hold at least one frame, not " + frameBatch);
        }
        Gemma4VisionConfig c = encoder.config();
        List<FloatTensor> pixels = images.stream().map(im -> imageSizing.preprocess(im, c)).toList();
        List<float[]> encoded = pixels.isEmpty() ? List.of() : encoder.encode(pixels);
        return new IntFunction<>() {
            private int first = -1;
            private List<float[]> current = List.of();

            @Override
            public float[] apply(int i) {
                if (i < encoded.size()) {
                    return encoded.get(i);
                }
                int f = i - encoded.size();
                if (first < 0 || f < first || f >= first + current.size()) {
                    first = (f / frameBatch) * frameBatch;
                    List<FloatTensor> batch = new ArrayList<>();
                    for (int k = first; k < Math.min(frames.size(), first + frameBatch); k++) {
                        batch.add(frameSizing.preprocess(frames.get(k).image(), c));
                    }
                    current = encoder.encode(batch);
                }
                return current.get(f - first);
            }
        };
    }
}
