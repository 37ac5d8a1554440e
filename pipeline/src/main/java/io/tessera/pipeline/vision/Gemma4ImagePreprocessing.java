package io.tessera.pipeline.vision;

import io.tessera.media.FloatTensor;
import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.image.ResampleFilter;
import io.tessera.media.image.Resizer;
import io.tessera.media.image.RgbImage;

/**
 * Gemma 4's aspect-preserving resize to a soft-token budget (spec/MODELS.md §4.2), in one of two
 * forms, then rescale by 1/255 and the file's mean/std. Both give sides that are multiples of
 * {@link Gemma4VisionConfig#unit()} (48 px), one soft token per unit square; they differ in the
 * size they pick, the filter and padding:
 *
 * <ul>
 *   <li>{@link Mode#OFFICIAL} (HF {@code Gemma4ImageProcessor.aspect_ratio_preserving_resize}):
 *   the image is scaled to fill {@code maxTokens} unit squares, each side rounded down to a unit
 *   (a side that rounds to 0 becomes one unit), and stretched to that size with the antialiased
 *   bicubic filter (a = -0.5, PIL's). Every image is scaled up or down to the budget;
 *   {@code minTokens} is not used.</li>
 *   <li>{@link Mode#LLAMA_CPP} (llama.cpp mtmd {@code mtmd_image_preprocessor_dyn_size} with
 *   {@code calc_size_preserved_ratio} and padding, as the release the tests run, @fugood 1.7.15,
 *   does it; measured to the bit): each side is rounded to the nearest unit; only when that breaks
 *   the budget is the image scaled down (sides rounded down) to {@code maxTokens}, or up (sides
 *   rounded up) to {@code minTokens}. The image is then resized to fit inside that size with its
 *   own aspect ratio, by bilinear interpolation with aligned corners (source x = x (w - 1) / (w' - 1),
 *   values truncated to 8 bits: its {@code resize_bilinear}), and centred on black. Newer llama.cpp
 *   sources resample with PIL's bicubic filter instead.</li>
 * </ul>
 *
 * @param mode      which reference's sizing
 * @param minTokens the fewest soft tokens (LLAMA_CPP only)
 * @param maxTokens the most soft tokens
 */
public record Gemma4ImagePreprocessing(Mode mode, int minTokens, int maxTokens) {
    /** HF's image budget (processor default {@code max_soft_tokens}). */
    public static final int IMAGE_TOKENS = 280;
    /** HF's video frame budget (Gemma4VideoProcessor). */
    public static final int VIDEO_FRAME_TOKENS = 70;
    /**
     * llama.cpp's bounds for gemma4v/gemma4uv images in the release the tests run (mtmd of
     * {@code @fugood/node-llama-linux-x64} 1.7.15, measured: 40..280, as spec/MODELS.md §4.2 has
     * it); newer clip.cpp sources say {@code set_limit_image_tokens(70, 1120)}.
     */
    public static final int LLAMA_CPP_MIN_TOKENS = 40;
    public static final int LLAMA_CPP_MAX_TOKENS = 280;

    /** The reference whose sizing the resize follows. */
    public enum Mode {
        OFFICIAL, LLAMA_CPP
    }

    public Gemma4ImagePreprocessing {
        if (minTokens <= 0 || maxTokens <= 0 || minTokens > maxTokens) {
            throw new IllegalArgumentException("token bounds must be positive with min <= max, not " + minTokens + ".."
                    + maxTokens);
        }
    }

    /** The official sizing for images (280 tokens). */
    public static Gemma4ImagePreprocessing images() {
        return new Gemma4ImagePreprocessing(Mode.OFFICIAL, 1, IMAGE_TOKENS);
    }

    /** The official sizing for video frames (70 tokens). */
    public static Gemma4ImagePreprocessing videoFrames() {
        return new Gemma4ImagePreprocessing(Mode.OFFICIAL, 1, VIDEO_FRAME_TOKENS);
    }

    /** llama.cpp's sizing with its default bounds. */
    public static Gemma4ImagePreprocessing llamaCpp() {
        return new Gemma4ImagePreprocessing(Mode.LLAMA_CPP, LLAMA_CPP_MIN_TOKENS, LLAMA_CPP_MAX_TOKENS);
    }

    /** The same mode with a budget of at most {@code tokens} (llama.cpp: exactly around {@code tokens}, as its image_max_tokens does). */
    public Gemma4ImagePreprocessing withMaxTokens(int tokens) {
        return new Gemma4ImagePreprocessing(mode, Math.min(minTokens, tokens), tokens);
    }

    /** The {width, height} the image is brought to, multiples of {@code unit}. */
    public int[] outputSize(int width, int height, int unit) {
        return mode == Mode.OFFICIAL ? official(width, height, unit) : llamaCpp(width, height, unit);
    }

    private int[] official(int width, int height, int unit) {
        double factor = Math.sqrt((double) maxTokens * unit * unit / ((double) width * height));
        int h = (int) Math.floor(factor * height / unit) * unit;
        int w = (int) Math.floor(factor * width / unit) * unit;
        int longest = maxTokens * unit;
        if (h == 0 && w == 0) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image resizes to 0 x 0 at " + maxTokens
                    + " tokens");
        }
        if (h == 0) {
            h = unit;
            w = Math.min(width / height * unit, longest);
        } else if (w == 0) {
            w = unit;
            h = Math.min(height / width * unit, longest);
        }
        return new int[] {w, h};
    }

    // float arithmetic as in llama.cpp's calc_size_preserved_ratio
    private int[] llamaCpp(int width, int height, int unit) {
        int minPixels = minTokens * unit * unit;
        int maxPixels = maxTokens * unit * unit;
        int w = Math.max(unit, Math.round(width / (float) unit) * unit);
        int h = Math.max(unit, Math.round(height / (float) unit) * unit);
        if ((long) w * h > maxPixels) {
            float beta = (float) Math.sqrt((float) height * width / maxPixels);
            h = Math.max(unit, (int) Math.floor(height / beta / unit) * unit);
            w = Math.max(unit, (int) Math.floor(width / beta / unit) * unit);
        } else if ((long) w * h < minPixels) {
            float beta = (float) Math.sqrt(minPixels / ((float) height * width));
            h = (int) Math.ceil(height * beta / unit) * unit;
            w = (int) Math.ceil(width * beta / unit) * unit;
        }
        return new int[] {w, h};
    }

    /** The image resized (and, for LLAMA_CPP, padded) to {@link #outputSize}. */
    public RgbImage resize(RgbImage image, int unit) {
        int[] size = outputSize(image.width(), image.height(), unit);
        int tw = size[0];
        int th = size[1];
        if (tw == image.width() && th == image.height()) {
            return image;
        }
        if (mode == Mode.OFFICIAL) {
            return Resizer.resize(image, tw, th, ResampleFilter.BICUBIC, true);
        }
        float scale = Math.min((float) tw / image.width(), (float) th / image.height());
        int nw = Math.min((int) Math.ceil(image.width() * scale), tw);
        int nh = Math.min((int) Math.ceil(image.height() * scale), th);
        RgbImage inner = bilinearAlignedCorners(image, nw, nh);
        byte[] rgb = new byte[tw * th * 3];
        int ox = (tw - nw) / 2;
        int oy = (th - nh) / 2;
        for (int y = 0; y < nh; y++) {
            System.arraycopy(inner.rgb(), y * nw * 3, rgb, ((oy + y) * tw + ox) * 3, nw * 3);
        }
        return new RgbImage(tw, th, rgb);
    }

    /**
     * Bilinear interpolation whose corner pixels map onto each other (float arithmetic, the value
     * truncated to 8 bits), the resampling of llama.cpp's {@code resize_bilinear} in the tested
     * release; no antialiasing.
     */
    static RgbImage bilinearAlignedCorners(RgbImage src, int width, int height) {
        float xRatio = width > 1 ? (float) (src.width() - 1) / (width - 1) : 0f;
        float yRatio = height > 1 ? (float) (src.height() - 1) / (height - 1) : 0f;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            float py = y * yRatio;
            int y0 = Math.min((int) py, src.height() - 1);
            int y1 = Math.min(y0 + 1, src.height() - 1);
            float fy = py - y0;
            for (int x = 0; x < width; x++) {
                float px = x * xRatio;
                int x0 = Math.min((int) px, src.width() - 1);
                int x1 = Math.min(x0 + 1, src.width() - 1);
                float fx = px - x0;
                for (int c = 0; c < 3; c++) {
                    float top = lerp(src.get(x0, y0, c), src.get(x1, y0, c), fx);
                    float bottom = lerp(src.get(x0, y1, c), src.get(x1, y1, c), fx);
                    out[(y * width + x) * 3 + c] = (byte) (int) lerp(top, bottom, fy);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    /** Resize, then {@code [3, H, W]} with (pixel / 255 - mean) / std. */
    public FloatTensor preprocess(RgbImage image, Gemma4VisionConfig c) {
        RgbImage sized = resize(image, c.unit());
        ImagePreprocessing norm = new ImagePreprocessing(new ImagePreprocessing.Sizing.Fixed(sized.width(),
                sized.height()), ResampleFilter.BICUBIC, true, 1f / 255f, c.mean(), c.std(), null);
        return ImagePreprocessor.normalize(sized, norm);
    }
}
