package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/** Convolutions of the vision encoders. */
public final class Conv {
    private Conv() {
    }

    /**
     * Patch embedding: a 2-D convolution whose stride equals its kernel (VALID padding, so rows and
     * columns that do not fill a whole patch are dropped), plus bias; SigLIP's
     * {@code patch_embedding} (3 -&gt; 1152, 14x14).
     * <pre>
     *   image:  [channels][height][width]               channels-first, as PyTorch
     *   weight: [outChannels][channels][patchH][patchW]  (GGUF v.patch_embd.weight)
     *   bias:   [outChannels]
     *   out:    [(height/patchH) * (width/patchW)][outChannels]   patches row-major: y major, x minor
     * </pre>
     */
    @Kernel
    public static void patchEmbed(FloatArray image, FloatArray weight, FloatArray bias, FloatArray out,
                                  int channels, int height, int width, int outChannels, int patchH, int patchW) {
        for (@Parallel int p = 0; p < (height / patchH) * (width / patchW); p++) {
            for (@Parallel int o = 0; o < outChannels; o++) {
                int across = width / patchW;
                int y0 = (p / across) * patchH;
                int x0 = (p % across) * patchW;
                float sum = bias.get(o);
                for (int c = 0; c < channels; c++) {
                    long wBase = ((long) o * channels + c) * patchH * patchW;
                    long iBase = (long) c * height * width;
                    for (int dy = 0; dy < patchH; dy++) {
                        for (int dx = 0; dx < patchW; dx++) {
                            sum += weight.get(wBase + dy * patchW + dx)
                                    * image.get(iBase + (long) (y0 + dy) * width + x0 + dx);
                        }
                    }
                }
                out.set((long) p * outChannels + o, sum);
            }
        }
    }
}
