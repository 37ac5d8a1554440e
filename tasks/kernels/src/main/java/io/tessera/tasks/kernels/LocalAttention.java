package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/**
 * Chunked local self-attention with relative-position logits, the attention of the conformer audio
 * encoders (spec/MODELS.md §4.1-4.2; llama.cpp {@code tools/mtmd/models/gemma4a.cpp} and the
 * {@code kq_mask}/{@code pos_emb} inputs it gets from {@code clip.cpp}).
 *
 * <p>Queries come in blocks of {@code chunk}; block b sees the keys from {@code b * chunk - maxPast}
 * to its own end. Within that context a key at position s is visible to the query at t iff
 * {@code s <= t && t - s < maxPast} (mtmd's mask: so 11 past keys and the query's own for
 * maxPast 12). The logit is
 * <pre>
 *   l = qs . (ks + rel[t - s])          qs = qScale * qDim * q,  ks = kScale * kDim * k   (per dimension)
 *   l = softcap * tanh(l / softcap)
 * </pre>
 * where {@code rel[d]} is the projected sinusoidal embedding of distance d (the Transformer-XL
 * relative shift of the blocked reference, resolved to the distance it selects); masked keys are
 * dropped and the softmax is taken in float.
 *
 * <pre>
 *   q, k, v, out: [tokens][heads][headDim]
 *   rel:          [maxPast + 1][heads][headDim]   distance 0 .. maxPast
 *   qDim, kDim:   [headDim]
 * </pre>
 * {@code out} must not alias an input.
 */
public final class LocalAttention {
    private LocalAttention() {
    }

    @Kernel
    public static void chunkedRelative(FloatArray q, FloatArray k, FloatArray v, FloatArray rel, FloatArray qDim,
                                       FloatArray kDim, FloatArray out, int tokens, int heads, int headDim, int chunk,
                                       int maxPast, float qScale, float kScale, float softcap) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < heads; h++) {
                long qo = ((long) t * heads + h) * headDim;
                int first = Math.max(Math.max(0, (t / chunk) * chunk - maxPast), t - maxPast + 1);
                float max = Float.intBitsToFloat(0xFF800000);
                for (int s = first; s <= t; s++) {
                    max = Math.max(max, logit(q, k, rel, qDim, kDim, qo, ((long) s * heads + h) * headDim,
                            ((long) (t - s) * heads + h) * headDim, headDim, qScale, kScale, softcap));
                }
                for (int d = 0; d < headDim; d++) {
                    out.set(qo + d, 0.0f);
                }
                float sum = 0.0f;
                for (int s = first; s <= t; s++) {
                    long ko = ((long) s * heads + h) * headDim;
                    float e = KernelMath.exp(logit(q, k, rel, qDim, kDim, qo, ko, ((long) (t - s) * heads + h) * headDim,
                            headDim, qScale, kScale, softcap) - max);
                    sum += e;
                    for (int d = 0; d < headDim; d++) {
                        out.set(qo + d, out.get(qo + d) + e * v.get(ko + d));
                    }
                }
                float inv = 1.0f / sum;
                for (int d = 0; d < headDim; d++) {
                    out.set(qo + d, out.get(qo + d) * inv);
                }
            }
        }
    }

    /** The capped logit of the query at {@code qo} against the key at {@code ko} and the distance row at {@code ro}. */
    static float logit(FloatArray q, FloatArray k, FloatArray rel, FloatArray qDim, FloatArray kDim, long qo, long ko,
                       long ro, int headDim, float qScale, float kScale, float softcap) {
        float dot = 0.0f;
        for (int d = 0; d < headDim; d++) {
            float qs = q.get(qo + d) * qScale * qDim.get(d);
            float ks = k.get(ko + d) * kScale * kDim.get(d);
            dot += qs * (ks + rel.get(ro + d));
        }
        return softcap * KernelMath.tanh(dot / softcap);
    }
}
