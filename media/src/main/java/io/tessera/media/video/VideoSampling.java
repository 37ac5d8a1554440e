package io.tessera.media.video;

/**
 * Which frames of a video a model sees.
 *
 * @param mode     uniform N frames over the video, or a fixed rate
 * @param maxSide  frames whose longer side exceeds this are downscaled (bicubic, antialiased) to
 *                 it, keeping the aspect ratio; 0 for no cap
 * @param maxFrames refuse sampling plans that would return more frames
 */
public record VideoSampling(Mode mode, int maxSide, int maxFrames) {
    public VideoSampling {
        if (maxSide < 0 || maxFrames <= 0) {
            throw new IllegalArgumentException("maxSide must be >= 0 and maxFrames > 0");
        }
    }

    public static VideoSampling uniform(int frames) {
        return new VideoSampling(new Mode.Uniform(frames), 0, 4096);
    }

    public static VideoSampling rate(double fps) {
        return new VideoSampling(new Mode.Rate(fps), 0, 4096);
    }

    public VideoSampling withMaxSide(int side) {
        return new VideoSampling(mode, side, maxFrames);
    }

    public sealed interface Mode {
        /** {@code n} frames at times {@code i·D/n}, i = 0..n−1, D the video's duration. */
        record Uniform(int frames) implements Mode {
            public Uniform {
                if (frames <= 0) {
                    throw new IllegalArgumentException("frame count must be positive");
                }
            }
        }

        /** Frames at times {@code k/fps} for every such time within the video. */
        record Rate(double fps) implements Mode {
            public Rate {
                if (!(fps > 0) || Double.isInfinite(fps)) {
                    throw new IllegalArgumentException("fps must be positive");
                }
            }
        }
    }
}
