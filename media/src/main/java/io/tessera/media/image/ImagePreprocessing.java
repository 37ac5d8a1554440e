package io.tessera.media.image;

import java.util.Objects;

/**
 * How a model's image preprocessor turns RGB pixels into its input tensor: target size, resampling
 * filter, rescale factor and per-channel mean/std. {@code value = (pixel * rescale - mean[c]) / std[c]}.
 */
public record ImagePreprocessing(Sizing sizing, ResampleFilter filter, boolean antialias, float rescale,
                                 float[] mean, float[] std, PanAndScan panAndScan) {
    public ImagePreprocessing {
        Objects.requireNonNull(sizing, "sizing");
        Objects.requireNonNull(filter, "filter");
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values each");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public ImagePreprocessing withPanAndScan(PanAndScan p) {
        return new ImagePreprocessing(sizing, filter, antialias, rescale, mean, std, p);
    }

    public ImagePreprocessing withSizing(Sizing s) {
        return new ImagePreprocessing(s, filter, antialias, rescale, mean, std, panAndScan);
    }

    /** The output size for an image of {@code width × height}. */
    public sealed interface Sizing {
        int[] outputSize(int width, int height);

        /** Stretch to exactly {@code width × height} (aspect ratio not kept). */
        record Fixed(int width, int height) implements Sizing {
            public Fixed {
                if (width <= 0 || height <= 0) {
                    throw new IllegalArgumentException("size must be positive");
                }
            }

            @Override
            public int[] outputSize(int w, int h) {
                return new int[] {width, height};
            }
        }

        /**
         * Keep the aspect ratio, with sides multiples of {@code patch * pool}, and at most
         * {@code maxSoftTokens * pool²} patches: the largest such size not above the scaled image.
         */
        record PatchBudget(int patch, int pool, int maxSoftTokens) implements Sizing {
            public PatchBudget {
                if (patch <= 0 || pool <= 0 || maxSoftTokens <= 0) {
                    throw new IllegalArgumentException("patch, pool and token budget must be positive");
                }
            }

            @Override
            public int[] outputSize(int w, int h) {
                int unit = patch * pool;
                double maxPixels = (double) maxSoftTokens * pool * pool * patch * patch;
                double scale = Math.sqrt(maxPixels / ((double) w * h));
                int outW = Math.max(unit, (int) Math.floor(w * scale / unit) * unit);
                int outH = Math.max(unit, (int) Math.floor(h * scale / unit) * unit);
                // Rounding a side up to one unit can break the budget for extreme aspect ratios.
                while ((long) (outW / patch) * (outH / patch) > (long) maxSoftTokens * pool * pool) {
                    if (outW >= outH) {
                        outW -= unit;
                    } else {
                        outH -= unit;
                    }
                }
                return new int[] {outW, outH};
            }
        }
    }

    /** Gemma 3 pan-and-scan settings (MODELS.md §2.4). */
    public record PanAndScan(int minCropSize, int maxNumCrops, double minRatioToActivate) {
        public static final PanAndScan GEMMA3 = new PanAndScan(256, 4, 1.2);
    }
}
