package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/**
 * Activations of the feed-forward blocks. gelu is the tanh approximation
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (HF {@code gelu_pytorch_tanh}, ggml
 * {@code LLM_FFN_GELU}), used by every Gemma decoder and by SigLIP. ReLU, SiLU and the GLU gate
 * serve the conformer audio encoders (spec/MODELS.md §4.1-4.2).
 */
public final class Activation {
    private Activation() {
    }

    /** The tanh-approximated GELU of one value; 0.7978845608 = sqrt(2 / pi). */
    static float gelu(float v) {
        return 0.5f * v * (1.0f + KernelMath.tanh(0.7978845608028654f * (v + 0.044715f * v * v * v)));
    }

    /** out = gelu(x). x, out: [n] */
    @Kernel
    public static void geluTanh(FloatArray x, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, gelu(x.get(i)));
        }
    }

    /** GeGLU over separate projections: out = gelu(gate) * up. gate, up, out: [n]; out may alias either. */
    @Kernel
    public static void geglu(FloatArray gate, FloatArray up, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, gelu(gate.get(i)) * up.get(i));
        }
    }

    /**
     * GeGLU over one fused projection whose rows hold the gate then the up half:
     * out[t][j] = gelu(gateUp[t][j]) * gateUp[t][ff + j]. gateUp: [tokens][2 * ff]; out: [tokens][ff].
     */
    @Kernel
    public static void gegluFused(FloatArray gateUp, FloatArray out, int tokens, int ff) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int j = 0; j < ff; j++) {
                long in = (long) t * 2 * ff + j;
                out.set((long) t * ff + j, gelu(gateUp.get(in)) * gateUp.get(in + ff));
            }
        }
    }

    /** out = max(x, 0). x, out: [n]; out may alias x. */
    @Kernel
    public static void relu(FloatArray x, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, Math.max(x.get(i), 0.0f));
        }
    }

    /** out = x * sigmoid(x) (ggml {@code silu}, the conformer feed-forward). x, out: [n]; out may alias x. */
    @Kernel
    public static void silu(FloatArray x, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float v = x.get(i);
            out.set(i, v / (1.0f + KernelMath.exp(-v)));
        }
    }

    /**
     * Gated linear unit over one projection whose rows hold the value then the gate half:
     * out[t][j] = x[t][j] * sigmoid(x[t][half + j]) (PyTorch {@code glu(dim=-1)}; the conformer
     * convolution module, llama.cpp {@code gemma4a.cpp}). x: [tokens][2 * half]; out: [tokens][half].
     */
    @Kernel
    public static void glu(FloatArray x, FloatArray out, int tokens, int half) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int j = 0; j < half; j++) {
                long in = (long) t * 2 * half + j;
                out.set((long) t * half + j, x.get(in) / (1.0f + KernelMath.exp(-x.get(in + half))));
            }
        }
    }
}
