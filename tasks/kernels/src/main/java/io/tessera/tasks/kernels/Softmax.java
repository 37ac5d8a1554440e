package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/** Row-wise softmax and the tanh soft cap of Gemma 2 and 4 logits. */
public final class Softmax {
    private Softmax() {
    }

    /**
     * out[r] = softmax(cap(x[r])) over each row of n values, where cap(v) = softcap * tanh(v /
     * softcap) when softcap &gt; 0 and v otherwise. The row maximum is subtracted before exp,
     * so large logits do not overflow. x, out: [rows][n]; out may alias x.
     */
    @Kernel
    public static void softmax(FloatArray x, FloatArray out, int rows, int n, float softcap) {
        for (@Parallel int r = 0; r < rows; r++) {
            long base = (long) r * n;
            float max = Float.intBitsToFloat(0xFF800000);
            for (int j = 0; j < n; j++) {
                float v = x.get(base + j);
                if (softcap > 0.0f) {
                    v = softcap * KernelMath.tanh(v / softcap);
                }
                out.set(base + j, v);
                max = Math.max(max, v);
            }
            float sum = 0.0f;
            for (int j = 0; j < n; j++) {
                float e = KernelMath.exp(out.get(base + j) - max);
                out.set(base + j, e);
                sum += e;
            }
            float inv = 1.0f / sum;
            for (int j = 0; j < n; j++) {
                out.set(base + j, out.get(base + j) * inv);
            }
        }
    }

    /**
     * out = softcap * tanh(x / softcap): the final-logit soft cap (Gemma 2: 30, Gemma 4: 30).
     * x, out: [n]
     */
    @Kernel
    public static void softcap(FloatArray x, FloatArray out, int n, float softcap) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, softcap * KernelMath.tanh(x.get(i) / softcap));
        }
    }
}
