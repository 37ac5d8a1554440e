package io.tessera.tasks.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

import jdk.incubator.vector.FloatVector;

/**
 * Attention in which image tokens see each other in both directions.
 *
 * <ul>
 *   <li>{@link #encoder}: a vision encoder's self-attention (SigLIP), full and bidirectional within
 *   each image of a batch, no cache, no mask between the tokens of one image, none across images.</li>
 *   <li>{@link #prefillBlock}: a decoder prefill tile over the KV cache that may be one image block
 *   (Gemma 3, spec/MODELS.md §1.3): the query at position p sees key k iff
 *   {@code (k <= p && (window <= 0 || p - k < window)) || (positions[0] <= k && k < blockEnd[0] && p < blockEnd[0])},
 *   the HF rule (the block rule or-ed onto the causal and sliding masks) for a tile whose block
 *   runs from positions[0] to blockEnd[0] - 1: one image's soft tokens (Gemma 3), or PaliGemma's
 *   whole prefix (spec/MODELS.md §3: a block from position 0 is big_vision's prefix-LM mask; queries
 *   after the block, the causal suffix, do not take the block rule). With blockEnd[0] = 0 it is
 *   {@link CachedAttention#prefill}.</li>
 * </ul>
 *
 * Scores are s = scale * (q . k) (then s = softcap * tanh(s / softcap) when softcap &gt; 0), softmax
 * in float. The plain bodies use an online softmax; the JVM forms keep one head's scores in a buffer
 * and take the softmax in two passes.
 */
public final class ImageAttention {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private ImageAttention() {
    }

    /**
     * q, k, v, out: [images][tokens][nHead][headDim]; row r = image * tokens + token attends to the
     * rows of its own image.
     */
    @Kernel(jvm = "encoderVec")
    public static void encoder(FloatArray q, FloatArray k, FloatArray v, FloatArray out, int images, int tokens,
                               int nHead, int headDim, float scale) {
        for (@Parallel int r = 0; r < images * tokens; r++) {
            for (@Parallel int h = 0; h < nHead; h++) {
                int dim = nHead * headDim;
                long qo = (long) r * dim + (long) h * headDim;
                int first = (r / tokens) * tokens;
                float max = Float.intBitsToFloat(0xFF800000);
                float sum = 0.0f;
                for (int d = 0; d < headDim; d++) {
                    out.set(qo + d, 0.0f);
                }
                for (int key = first; key < first + tokens; key++) {
                    long ko = (long) key * dim + (long) h * headDim;
                    float s = 0.0f;
                    for (int d = 0; d < headDim; d++) {
                        s += q.get(qo + d) * k.get(ko + d);
                    }
                    s = s * scale;
                    if (s > max) {
                        float correction = KernelMath.exp(max - s);
                        sum = sum * correction;
                        for (int d = 0; d < headDim; d++) {
                            out.set(qo + d, out.get(qo + d) * correction);
                        }
                        max = s;
                    }
                    float p = KernelMath.exp(s - max);
                    sum += p;
                    for (int d = 0; d < headDim; d++) {
                        out.set(qo + d, out.get(qo + d) + p * v.get(ko + d));
                    }
                }
                float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
                for (int d = 0; d < headDim; d++) {
                    out.set(qo + d, out.get(qo + d) * inv);
                }
            }
        }
    }

    /**
     * A prefill tile at positions[t] over the cache, which already holds the tile's keys and values;
     * blockEnd: [1], the end (exclusive) of the image block that starts at positions[0], or 0 for a
     * text tile. q, out: [tokens][nHead][headDim]; keys, values: [position][nKv][headDim].
     */
    @Kernel(jvm = "prefillBlockVec")
    public static void prefillBlock(FloatArray q, FloatArray keys, FloatArray values, IntArray positions,
                                    IntArray blockEnd, FloatArray out, int tokens, int nHead, int nKv, int headDim,
                                    int window, float scale, float softcap) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < nHead; h++) {
                int kvDim = nKv * headDim;
                long kvHead = (long) (h / (nHead / nKv)) * headDim;
                long qo = ((long) t * nHead + h) * headDim;
                int pos = positions.get(t);
                int blockStart = positions.get(0);
                int end = blockEnd.get(0);
                int last = end - 1 > pos ? end - 1 : pos;
                float max = Float.intBitsToFloat(0xFF800000);
                float sum = 0.0f;
                for (int d = 0; d < headDim; d++) {
                    out.set(qo + d, 0.0f);
                }
                for (int key = 0; key <= last; key++) {
                    boolean visible = (key <= pos && (window <= 0 || pos - key < window))
                            || (key >= blockStart && key < end && pos < end);
                    if (visible) {
                        long ko = (long) key * kvDim + kvHead;
                        float s = 0.0f;
                        for (int d = 0; d < headDim; d++) {
                            s += q.get(qo + d) * keys.get(ko + d);
                        }
                        s = s * scale;
                        if (softcap > 0.0f) {
                            s = softcap * KernelMath.tanh(s / softcap);
                        }
                        if (s > max) {
                            float correction = KernelMath.exp(max - s);
                            sum = sum * correction;
                            for (int d = 0; d < headDim; d++) {
                                out.set(qo + d, out.get(qo + d) * correction);
                            }
                            max = s;
                        }
                        float p = KernelMath.exp(s - max);
                        sum += p;
                        for (int d = 0; d < headDim; d++) {
                            out.set(qo + d, out.get(qo + d) + p * values.get(ko + d));
                        }
                    }
                }
                float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
                for (int d = 0; d < headDim; d++) {
                    out.set(qo + d, out.get(qo + d) * inv);
                }
            }
        }
    }

    static void encoderVec(FloatArray q, FloatArray k, FloatArray v, FloatArray out, int images, int tokens,
                           int nHead, int headDim, float scale, int from, int to) {
        float[] scores = new float[tokens];
        float[] acc = new float[headDim];
        boolean[] visible = new boolean[tokens];
        Arrays.fill(visible, true);
        int dim = nHead * headDim;
        for (int r = from; r < to; r++) {
            int first = (r / tokens) * tokens;
            for (int h = 0; h < nHead; h++) {
                long head = (long) h * headDim;
                attend(q, (long) r * dim + head, k, v, (long) first * dim + head, dim, headDim, tokens, visible,
                        scale, 0f, scores, acc, out);
            }
        }
    }

    static void prefillBlockVec(FloatArray q, FloatArray keys, FloatArray values, IntArray positions,
                                IntArray blockEnd, FloatArray out, int tokens, int nHead, int nKv, int headDim,
                                int window, float scale, float softcap, int from, int to) {
        float[] acc = new float[headDim];
        float[] scores = new float[0];
        boolean[] visible = new boolean[0];
        int blockStart = positions.get(0);
        int end = blockEnd.get(0);
        int kvDim = nKv * headDim;
        for (int t = from; t < to; t++) {
            int pos = positions.get(t);
            int count = Math.max(end, pos + 1);
            if (scores.length < count) {
                scores = new float[count];
                visible = new boolean[count];
            }
            for (int key = 0; key < count; key++) {
                visible[key] = (key <= pos && (window <= 0 || pos - key < window))
                        || (key >= blockStart && key < end && pos < end);
            }
            for (int h = 0; h < nHead; h++) {
                long kvHead = (long) (h / (nHead / nKv)) * headDim;
                attend(q, ((long) t * nHead + h) * headDim, keys, values, kvHead, kvDim, headDim, count, visible,
                        scale, softcap, scores, acc, out);
            }
        }
    }

    /**
     * One query row at qo against the key rows base + key * stride for the keys in [0, count) that
     * are visible: scores, their softmax, the weighted sum of the value rows into out[qo..).
     */
    private static void attend(FloatArray q, long qo, FloatArray keys, FloatArray values, long base, int stride,
                               int headDim, int count, boolean[] visible, float scale, float softcap,
                               float[] scores, float[] acc, FloatArray out) {
        MemorySegment qs = q.segment();
        MemorySegment ks = keys.segment();
        MemorySegment vs = values.segment();
        float max = Float.NEGATIVE_INFINITY;
        for (int key = 0; key < count; key++) {
            if (!visible[key]) {
                continue;
            }
            float s = Vectors.dot(qs, qo, ks, base + (long) key * stride, headDim) * scale;
            if (softcap > 0.0f) {
                s = softcap * (float) Math.tanh(s / softcap);
            }
            scores[key] = s;
            max = Math.max(max, s);
        }
        Arrays.fill(acc, 0.0f);
        float sum = 0.0f;
        int upper = Vectors.F.loopBound(headDim);
        for (int key = 0; key < count; key++) {
            if (!visible[key]) {
                continue;
            }
            float p = (float) Math.exp(scores[key] - max);
            sum += p;
            long row = base + (long) key * stride;
            FloatVector pv = FloatVector.broadcast(Vectors.F, p);
            int d = 0;
            for (; d < upper; d += Vectors.L) {
                FloatVector.fromMemorySegment(Vectors.F, vs, (row + d) * 4, LE)
                        .fma(pv, FloatVector.fromArray(Vectors.F, acc, d)).intoArray(acc, d);
            }
            for (; d < headDim; d++) {
                acc[d] += p * values.get(row + d);
            }
        }
        float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
        for (int d = 0; d < headDim; d++) {
            out.set(qo + d, acc[d] * inv);
        }
    }
}
