package io.tessera.media.video;

import io.tessera.media.image.RgbImage;

/**
 * One sampled frame.
 *
 * @param index           the frame's position in decode order, from 0
 * @param timestampMicros presentation time relative to the first frame
 * @param requestedMicros the sampling time it was chosen for
 */
public record VideoFrame(int index, long timestampMicros, long requestedMicros, RgbImage image) {
    /** The timestamp as {@code mm:ss}, as Gemma 4 prompts write it. */
    public String mmss() {
        long s = timestampMicros / 1_000_000;
        return String.format(java.util.Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
