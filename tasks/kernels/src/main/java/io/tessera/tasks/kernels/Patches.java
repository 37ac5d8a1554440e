package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/**
 * Patch extraction for vision encoders over a batch of images. With {@link #unfold} a patch
 * embedding (a convolution whose stride equals its kernel) becomes a matrix product with the
 * convolution weight seen as {@code [outChannels][channels * patch * patch]}, so it runs on the
 * matMul kernel of the weight's type; together with a bias and position add this replaces
 * {@link Conv#patchEmbed} for batches.
 */
public final class Patches {
    private Patches() {
    }

    /**
     * images: [batch][channels][height][width] channels-first;
     * out: [batch][(height / patch) * (width / patch)][channels * patch * patch], patches row-major
     * (y major, x minor), each patch's values in the order of the conv weight (channel, dy, dx).
     * Rows and columns that do not fill a whole patch are dropped (VALID padding).
     */
    @Kernel
    public static void unfold(FloatArray images, FloatArray out, int batch, int channels, int height, int width,
                              int patch) {
        for (@Parallel int r = 0; r < batch * (height / patch) * (width / patch); r++) {
            for (@Parallel int j = 0; j < channels * patch * patch; j++) {
                int across = width / patch;
                int perImage = (height / patch) * across;
                int b = r / perImage;
                int p = r % perImage;
                int area = patch * patch;
                int c = j / area;
                int y = (p / across) * patch + (j % area) / patch;
                int x = (p % across) * patch + j % patch;
                out.set((long) r * channels * area + j,
                        images.get((((long) b * channels + c) * height + y) * width + x));
            }
        }
    }
}
