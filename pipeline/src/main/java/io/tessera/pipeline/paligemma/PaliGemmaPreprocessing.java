package io.tessera.pipeline.paligemma;

import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.image.ImagePreprocessing.Sizing;
import io.tessera.media.image.ResampleFilter;
import io.tessera.pipeline.vision.VisionConfig;

/**
 * PaliGemma's image preprocessing, HF {@code SiglipImageProcessor}: stretch to the square input
 * with PIL's (antialiased) bicubic filter, rescale by 1/255, normalise with the mean and std of
 * {@code preprocessor_config.json} (0.5 each by default) (spec/MODELS.md §3).
 */
public final class PaliGemmaPreprocessing {
    private PaliGemmaPreprocessing() {
    }

    public static ImagePreprocessing of(VisionConfig c) {
        return new ImagePreprocessing(new Sizing.Fixed(c.imageSize(), c.imageSize()), ResampleFilter.BICUBIC, true,
                1f / 255f, c.mean(), c.std(), null);
    }
}
