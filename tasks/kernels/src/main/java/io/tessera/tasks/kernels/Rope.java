package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/**
 * Rotary position embedding in the NEOX "rotate-half" form used by every Gemma model: dimension i
 * pairs with i + d/2 (not interleaved), and the pair is rotated by the angle
 * theta_i = (pos / factor) * base^(-2i / d):
 * <pre>
 *   x'[i]       = x[i] cos(theta_i) - x[i + d/2] sin(theta_i)
 *   x'[i + d/2] = x[i + d/2] cos(theta_i) + x[i] sin(theta_i)
 * </pre>
 * {@code factor} is linear position interpolation (Gemma 3 4B+ global layers: 8; otherwise 1).
 * Angles are computed in float, as HF and llama.cpp do. Both kernels rotate in place over
 * x: [tokens][heads][headDim] with positions: [tokens].
 */
public final class Rope {
    private Rope() {
    }

    /**
     * Rotates the first {@code rotaryDims} dimensions of each head (d = rotaryDims, even, at most
     * headDim; GPT-NeoX partial rotary) and leaves the rest unchanged.
     */
    @Kernel
    public static void rope(FloatArray x, IntArray positions, int tokens, int heads, int headDim,
                            int rotaryDims, float base, float factor) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < heads; h++) {
                for (@Parallel int i = 0; i < rotaryDims / 2; i++) {
                    int half = rotaryDims / 2;
                    float theta = (positions.get(t) / factor)
                            * KernelMath.pow(base, -2.0f * i / rotaryDims);
                    float c = KernelMath.cos(theta);
                    float s = KernelMath.sin(theta);
                    long at = ((long) t * heads + h) * headDim + i;
                    float a = x.get(at);
                    float b = x.get(at + half);
                    x.set(at, a * c - b * s);
                    x.set(at + half, b * c + a * s);
                }
            }
        }
    }

    /**
     * The "proportional" partial form of Gemma 4 global layers: pairs stay (i, i + headDim/2) and
     * the frequencies keep the full head size, theta_i = (pos / factor) * base^(-2i / headDim),
     * but only the pairs i &lt; rotatedPairs rotate; the others have frequency zero.
     */
    @Kernel
    public static void ropeProportional(FloatArray x, IntArray positions, int tokens, int heads, int headDim,
                                        int rotatedPairs, float base, float factor) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < heads; h++) {
                for (@Parallel int i = 0; i < rotatedPairs; i++) {
                    int half = headDim / 2;
                    float theta = (positions.get(t) / factor)
                            * KernelMath.pow(base, -2.0f * i / headDim);
                    float c = KernelMath.cos(theta);
                    float s = KernelMath.sin(theta);
                    long at = ((long) t * heads + h) * headDim + i;
                    float a = x.get(at);
                    float b = x.get(at + half);
                    x.set(at, a * c - b * s);
                    x.set(at + half, b * c + a * s);
                }
            }
        }
    }

    /**
     * As {@link #rope} with a frequency factor per pair, theta_i = (pos / factor) * base^(-2i / d)
     * / freqFactors[i] (ggml {@code ggml_rope_ext} with {@code freq_factors}). Gemma 4 global layers
     * store their "proportional" partial RoPE this way (llama.cpp {@code conversion/gemma.py}
     * {@code Gemma4Model.generate_extra_tensors}): d = headDim, factor 1 on the rotated pairs and 1e30
     * on the others, whose angle is then zero. freqFactors: [rotaryDims / 2].
     */
    @Kernel
    public static void ropeFactors(FloatArray x, IntArray positions, FloatArray freqFactors, int tokens, int heads,
                                   int headDim, int rotaryDims, float base, float factor) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < heads; h++) {
                for (@Parallel int i = 0; i < rotaryDims / 2; i++) {
                    int half = rotaryDims / 2;
                    float theta = (positions.get(t) / factor)
                            * KernelMath.pow(base, -2.0f * i / rotaryDims) / freqFactors.get(i);
                    float c = KernelMath.cos(theta);
                    float s = KernelMath.sin(theta);
                    long at = ((long) t * heads + h) * headDim + i;
                    float a = x.get(at);
                    float b = x.get(at + half);
                    x.set(at, a * c - b * s);
                    x.set(at + half, b * c + a * s);
                }
            }
        }
    }
}
