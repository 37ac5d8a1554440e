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
 * Causal text attention over a KV cache, with the query positions read from an {@link IntArray}
 * rather than passed as scalars, so that one task graph serves every decode step and every
 * prefill tile. Semantics are those of {@link Attention#attentionDecode} and
 * {@link Attention#attentionPrefill} without image blocks: scores s = scale * (q . k), then
 * s = softcap * tanh(s / softcap) when softcap &gt; 0, and the query at position p sees key k iff
 * {@code k <= p && (window <= 0 || p - k < window)}; softmax in float.
 *
 * <p>Layouts: q, out: [tokens][nHead][headDim]; keys, values: [position][nKv][headDim]; query
 * head h reads kv head h / (nHead / nKv). The plain bodies use an online softmax; the JVM forms
 * keep one head's scores in a buffer and take the softmax in two passes.
 */
public final class CachedAttention {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private CachedAttention() {
    }

    /**
     * One query per head at position positions[0] against keys 0..positions[0] (decode).
     * Replaces {@link Attention#attentionDecode} with length = positions[0] + 1.
     */
    @Kernel(jvm = "decodeVec")
    public static void decode(FloatArray q, FloatArray keys, FloatArray values, IntArray positions, FloatArray out,
                              int nHead, int nKv, int headDim, int window, float scale, float softcap) {
        for (@Parallel int h = 0; h < nHead; h++) {
            attendOnline(q, keys, values, out, (long) h * headDim, h, positions.get(0), nHead, nKv, headDim,
                    window, scale, softcap);
        }
    }

    /**
     * Queries of a tile at positions[t] against keys 0..positions[t] of the cache, which already
     * holds the tile's own keys and values (prefill).
     */
    @Kernel(jvm = "prefillVec")
    public static void prefill(FloatArray q, FloatArray keys, FloatArray values, IntArray positions, FloatArray out,
                               int tokens, int nHead, int nKv, int headDim, int window, float scale, float softcap) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < nHead; h++) {
                attendOnline(q, keys, values, out, ((long) t * nHead + h) * headDim, h, positions.get(t), nHead,
                        nKv, headDim, window, scale, softcap);
            }
        }
    }

    /** The query row at qo (head h, position pos) with a running max and sum. */
    private static void attendOnline(FloatArray q, FloatArray keys, FloatArray values, FloatArray out, long qo,
                                     int h, int pos, int nHead, int nKv, int headDim, int window, float scale,
                                     float softcap) {
        int kvDim = nKv * headDim;
        long kvHead = (long) (h / (nHead / nKv)) * headDim;
        int first = window > 0 ? Math.max(0, pos - window + 1) : 0;
        float max = Float.intBitsToFloat(0xFF800000);
        float sum = 0.0f;
        for (int d = 0; d < headDim; d++) {
            out.set(qo + d, 0.0f);
        }
        for (int key = first; key <= pos; key++) {
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
        float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
        for (int d = 0; d < headDim; d++) {
            out.set(qo + d, out.get(qo + d) * inv);
        }
    }

    static void decodeVec(FloatArray q, FloatArray keys, FloatArray values, IntArray positions, FloatArray out,
                          int nHead, int nKv, int headDim, int window, float scale, float softcap, int from, int to) {
        int pos = positions.get(0);
        float[] scores = new float[pos + 1];
        float[] acc = new float[headDim];
        for (int h = from; h < to; h++) {
            attend(q, (long) h * headDim, keys, values, h, pos, nHead, nKv, headDim, window, scale, softcap,
                    scores, acc, out);
        }
    }

    static void prefillVec(FloatArray q, FloatArray keys, FloatArray values, IntArray positions, FloatArray out,
                           int tokens, int nHead, int nKv, int headDim, int window, float scale, float softcap,
                           int from, int to) {
        float[] acc = new float[headDim];
        float[] scores = new float[0];
        for (int t = from; t < to; t++) {
            int pos = positions.get(t);
            if (scores.length < pos + 1) {
                scores = new float[pos + 1];
            }
            for (int h = 0; h < nHead; h++) {
                attend(q, ((long) t * nHead + h) * headDim, keys, values, h, pos, nHead, nKv, headDim, window,
                        scale, softcap, scores, acc, out);
            }
        }
    }

    /** One query row against its visible keys: scores, their softmax, the weighted sum of values. */
    private static void attend(FloatArray q, long qo, FloatArray keys, FloatArray values, int h, int pos, int nHead,
                               int nKv, int headDim, int window, float scale, float softcap, float[] scores,
                               float[] acc, FloatArray out) {
        MemorySegment qs = q.segment();
        MemorySegment ks = keys.segment();
        MemorySegment vs = values.segment();
        int kvDim = nKv * headDim;
        long kvHead = (long) (h / (nHead / nKv)) * headDim;
        int first = window > 0 ? Math.max(0, pos - window + 1) : 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int key = first; key <= pos; key++) {
            float s = Vectors.dot(qs, qo, ks, (long) key * kvDim + kvHead, headDim) * scale;
            if (softcap > 0.0f) {
                s = softcap * (float) Math.tanh(s / softcap);
            }
            scores[key] = s;
            max = Math.max(max, s);
        }
        Arrays.fill(acc, 0.0f);
        float sum = 0.0f;
        int upper = Vectors.F.loopBound(headDim);
        for (int key = first; key <= pos; key++) {
            float p = (float) Math.exp(scores[key] - max);
            sum += p;
            long vb = ((long) key * kvDim + kvHead) * 4;
            FloatVector pv = FloatVector.broadcast(Vectors.F, p);
            int d = 0;
            for (; d < upper; d += Vectors.L) {
                FloatVector.fromMemorySegment(Vectors.F, vs, vb + (long) d * 4, LE)
                        .fma(pv, FloatVector.fromArray(Vectors.F, acc, d)).intoArray(acc, d);
            }
            for (; d < headDim; d++) {
                acc[d] += p * values.get((long) key * kvDim + kvHead + d);
            }
        }
        float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
        for (int d = 0; d < headDim; d++) {
            out.set(qo + d, acc[d] * inv);
        }
    }
}
