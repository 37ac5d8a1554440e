package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/** Activation sparsity of feed-forward blocks. */
public final class Sparsity {
    private Sparsity() {
    }

    /**
     * Gaussian top-k: out = max(0, x - (mean + stdMultiplier * std)) per row, std with the n - 1
     * divisor. With stdMultiplier = icdf(0.95) of a standard normal, about the top 5% of a
     * normally distributed row survives (Gemma 3n's first layers, llama.cpp
     * {@code src/models/gemma3n.cpp} {@code gaussian_topk}). x, out: [rows][dim]; out may alias x.
     */
    @Kernel
    public static void gaussianTopK(FloatArray x, FloatArray out, int rows, int dim, float stdMultiplier) {
        for (@Parallel int r = 0; r < rows; r++) {
            long base = (long) r * dim;
            float sum = 0.0f;
            for (int j = 0; j < dim; j++) {
                sum += x.get(base + j);
            }
            float mean = sum / dim;
            float ss = 0.0f;
            for (int j = 0; j < dim; j++) {
                float d = x.get(base + j) - mean;
                ss += d * d;
            }
            float cutoff = mean + KernelMath.sqrt(ss * (1.0f / (dim - 1))) * stdMultiplier;
            for (int j = 0; j < dim; j++) {
                out.set(base + j, Math.max(x.get(base + j) - cutoff, 0.0f));
            }
        }
    }
}
