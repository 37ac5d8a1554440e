package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/**
 * Routing of a mixture-of-experts feed-forward (llama.cpp {@code build_moe_ffn} in
 * {@code src/llama-graph.cpp}): the router picks each token's experts and their gating weights,
 * the chosen experts run through {@link ExpertMatVec}, and {@link #combine} sums their outputs.
 * Slots are token-major: slot {@code t * used + r} is token t's r-th choice.
 */
public final class Route {
    private Route() {
    }

    /**
     * The {@code used} experts of largest router logit per token, best first, and their gating
     * weights: p = softmax over all experts' logits ({@code sigmoid == 0}) or p = sigmoid(logit)
     * ({@code sigmoid != 0}); the weight of a chosen expert is its p, divided by the sum of the
     * chosen p when {@code normalize != 0} (Gemma 4: softmax, normalised; llama.cpp
     * {@code src/models/gemma4.cpp}). Both gates are monotonic, so ranking by logit ranks by p;
     * equal logits go to the lower expert index. logits: [tokens][experts]; ids, weights:
     * [tokens][used].
     */
    @Kernel
    public static void topK(FloatArray logits, IntArray ids, FloatArray weights, int tokens, int experts, int used,
                            int sigmoid, int normalize) {
        for (@Parallel int t = 0; t < tokens; t++) {
            long base = (long) t * experts;
            long out = (long) t * used;
            float max = Float.intBitsToFloat(0xFF800000);
            for (int e = 0; e < experts; e++) {
                max = Math.max(max, logits.get(base + e));
            }
            float total = 0.0f;
            if (sigmoid == 0) {
                for (int e = 0; e < experts; e++) {
                    total += KernelMath.exp(logits.get(base + e) - max);
                }
            }
            float chosen = 0.0f;
            for (int r = 0; r < used; r++) {
                int best = -1;
                float bestLogit = 0.0f;
                for (int e = 0; e < experts; e++) {
                    float v = logits.get(base + e);
                    boolean taken = false;
                    for (int q = 0; q < r; q++) {
                        if (ids.get(out + q) == e) {
                            taken = true;
                        }
                    }
                    if (!taken && (best < 0 || v > bestLogit)) {
                        best = e;
                        bestLogit = v;
                    }
                }
                float p = sigmoid != 0 ? 1.0f / (1.0f + KernelMath.exp(-bestLogit))
                        : KernelMath.exp(bestLogit - max) * (1.0f / total);
                ids.set(out + r, best);
                weights.set(out + r, p);
                chosen += p;
            }
            if (normalize != 0) {
                // ggml clamps the sum to the smallest normal F16 before dividing by it
                float inv = 1.0f / Math.max(chosen, 6.103515625e-5f);
                for (int r = 0; r < used; r++) {
                    weights.set(out + r, weights.get(out + r) * inv);
                }
            }
        }
    }

    /**
     * The weighted sum of each token's expert outputs: out[t] = sum over r &lt; used of
     * (y[slot] * scale[ids[slot]]) * weights[slot], slot = t * used + r, summed in slot order as
     * ggml adds the experts' views. {@code scale} is the per-expert output scale (Gemma 4's
     * {@code ffn_down_exps.scale}, the converted {@code router.per_expert_scale}; ones when a file
     * has none). y: [tokens * used][n]; ids, weights: [tokens][used]; scale: [experts];
     * out: [tokens][n].
     */
    @Kernel
    public static void combine(FloatArray y, IntArray ids, FloatArray weights, FloatArray scale, FloatArray out,
                               int tokens, int used, int n) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int j = 0; j < n; j++) {
                float sum = 0.0f;
                for (int r = 0; r < used; r++) {
                    long slot = (long) t * used + r;
                    sum += y.get(slot * n + j) * scale.get(ids.get(slot)) * weights.get(slot);
                }
                out.set((long) t * n + j, sum);
            }
        }
    }
}
