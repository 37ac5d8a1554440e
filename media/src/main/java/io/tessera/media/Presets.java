package io.tessera.media;

import io.tessera.media.audio.Gemma3nFeatureExtractor;
import io.tessera.media.audio.Gemma4FeatureExtractor;
import io.tessera.media.audio.WhisperFeatureExtractor;
import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.image.ImagePreprocessing.Sizing;
import io.tessera.media.image.ResampleFilter;
import io.tessera.media.video.VideoSampling;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named preprocessing presets (facts in MODELS.md §2–5). */
public final class Presets {
    private static final float[] HALF = {0.5f, 0.5f, 0.5f};
    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE = {1f, 1f, 1f};
    private static final float RESCALE = 1f / 255f;

    /** Gemma 3: stretch to 896², PIL bilinear, x/127.5 − 1 (§2.3); video as 1 fps images (§5, Gemini API). */
    public static final Preset GEMMA3 = new Preset("gemma3",
            new ImagePreprocessing(new Sizing.Fixed(896, 896), ResampleFilter.BILINEAR, true, RESCALE, HALF, HALF, null),
            new ImagePreprocessing(new Sizing.Fixed(896, 896), ResampleFilter.BILINEAR, true, RESCALE, HALF, HALF, null),
            VideoSampling.rate(1.0), null);

    /** PaliGemma at 224: bicubic, mean/std 0.5 (§3). */
    public static final Preset PALIGEMMA = new Preset("paligemma",
            new ImagePreprocessing(new Sizing.Fixed(224, 224), ResampleFilter.BICUBIC, true, RESCALE, HALF, HALF, null),
            new ImagePreprocessing(new Sizing.Fixed(224, 224), ResampleFilter.BICUBIC, true, RESCALE, HALF, HALF, null),
            VideoSampling.rate(1.0), null);

    /**
     * Gemma 3n: the §4.1 audio extractor. The MobileNetV5 image size 768² is from §4.1; its resample
     * filter and the absence of mean/std normalisation are not in the spec (bilinear, rescale only).
     */
    public static final Preset GEMMA3N = new Preset("gemma3n",
            new ImagePreprocessing(new Sizing.Fixed(768, 768), ResampleFilter.BILINEAR, true, RESCALE, ZERO, ONE, null),
            new ImagePreprocessing(new Sizing.Fixed(768, 768), ResampleFilter.BILINEAR, true, RESCALE, ZERO, ONE, null),
            VideoSampling.rate(1.0), Gemma3nFeatureExtractor.DEFAULT);

    /**
     * Gemma 4: aspect-preserving bicubic resize within 280 soft tokens (patch 16, 3×3 pooling) for
     * images, 70 for video frames, 32 frames sampled uniformly, rescale only (§4.2).
     */
    public static final Preset GEMMA4 = new Preset("gemma4",
            new ImagePreprocessing(new Sizing.PatchBudget(16, 3, 280), ResampleFilter.BICUBIC, true, RESCALE, ZERO, ONE, null),
            new ImagePreprocessing(new Sizing.PatchBudget(16, 3, 70), ResampleFilter.BICUBIC, true, RESCALE, ZERO, ONE, null),
            VideoSampling.uniform(32), Gemma4FeatureExtractor.DEFAULT);

    /** Whisper-encoder audio models, 80 mel bins (§4.3). */
    public static final Preset WHISPER = new Preset("whisper", null, null, null, WhisperFeatureExtractor.MEL80);

    /** Whisper large-v3 derived encoders, 128 mel bins (§4.3). */
    public static final Preset WHISPER_128 = new Preset("whisper128", null, null, null, WhisperFeatureExtractor.MEL128);

    private static final Map<String, Preset> BY_NAME = new LinkedHashMap<>();

    static {
        for (Preset p : List.of(GEMMA3, PALIGEMMA, GEMMA3N, GEMMA4, WHISPER, WHISPER_128)) {
            BY_NAME.put(p.name(), p);
        }
    }

    private Presets() {}

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The preset called {@code name}; the error lists the valid names. */
    public static Preset get(String name) {
        Preset p = BY_NAME.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown media preset '" + name + "'; valid presets: " + String.join(", ", names()));
        }
        return p;
    }
}
