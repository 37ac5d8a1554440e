package io.tessera.pipeline.vision;

import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.image.ImagePreprocessing.Sizing;
import io.tessera.media.image.ResampleFilter;

/**
 * The image preprocessing an mmproj asks for, in the official (HF) form: stretch to the model's
 * square size with PIL's antialiased bilinear filter, rescale by 1/255, normalise with the file's
 * mean and std (spec/MODELS.md §2.3). llama.cpp instead letterboxes non-square images with its own
 * bilinear filter; the two agree on square images at the model's size, which are not resized.
 */
public final class VisionPreprocessing {
    private VisionPreprocessing() {
    }

    public static ImagePreprocessing of(VisionConfig c) {
        return new ImagePreprocessing(new Sizing.Fixed(c.imageSize(), c.imageSize()), ResampleFilter.BILINEAR, true,
                1f / 255f, c.mean(), c.std(), null);
    }
}
