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
 * Scaled dot-product attention over a KV cache, with grouped-query heads (query head h reads kv
 * head h / (nHead / nKv)), causal and sliding-window masks, bidirectional image blocks and an
 * optional logit soft cap.
 *
 * <p>Scores are s = scale * (q . k), then s = softcap * tanh(s / softcap) when softcap &gt; 0
 * (Gemma 2: 50, after the scaling and before the mask), then masked keys are dropped and the
 * softmax is taken in float. Key {@code k} is visible to the query at position {@code p} iff
 * <pre>
 *   (k &lt;= p &amp;&amp; (window &lt;= 0 || p - k &lt; window))           causal, sliding window of W keys
 *   || (block[p] &gt; 0 &amp;&amp; block[k] == block[p])                  same image: both ways
 * </pre>
 * as in HF Gemma 3 (the image rule is or-ed onto the causal and sliding masks; JAX instead also
 * applies the window to image tokens, which differs only for image blocks longer than the window,
 * never in Gemma 3: 256 soft tokens, windows of 512 and more).
 *
 * <p>Layouts: the cache holds {@code keys, values: [position][nKv][headDim]} (rows of
 * kvDim = nKv * headDim), and has at least as many positions as are attended. The plain bodies use
 * an online softmax (running max and sum, output rescaled when the max grows), so they need no
 * score buffer; the JVM forms keep the scores of one head in a buffer and take the softmax in two
 * passes. {@code out} must not alias {@code q}.
 */
public final class Attention {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Attention() {
    }

    /**
     * Decode: one new query per head at position length - 1 against keys 0..length-1 (causal is
     * implied; the window still applies). Image blocks play no part: every key precedes the query.
     * q, out: [nHead][headDim]; keys, values: [&gt;= length][nKv][headDim].
     */
    @Kernel(jvm = "attentionDecodeVec")
    public static void attentionDecode(FloatArray q, FloatArray keys, FloatArray values, FloatArray out,
                                       int nHead, int nKv, int headDim, int length, int window,
                                       float scale, float softcap) {
        for (@Parallel int h = 0; h < nHead; h++) {
            int kvDim = nKv * headDim;
            long kvHead = (long) (h / (nHead / nKv)) * headDim;
            long qo = (long) h * headDim;
            int first = window > 0 ? Math.max(0, length - window) : 0;
            float max = Float.intBitsToFloat(0xFF800000);
            float sum = 0.0f;
            for (int d = 0; d < headDim; d++) {
                out.set(qo + d, 0.0f);
            }
            for (int key = first; key < length; key++) {
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
    }

    /**
     * Prefill tile: queries at positions start..start+tokens-1 against keys 0..start+tokens-1 of
     * the cache (which already holds this tile's keys and values).
     * q, out: [tokens][nHead][headDim]; keys, values: [&gt;= start + tokens][nKv][headDim];
     * blockIds: [&gt;= start + tokens], 0 for text, the image's number (1, 2, ...) for its soft tokens.
     */
    @Kernel(jvm = "attentionPrefillVec")
    public static void attentionPrefill(FloatArray q, FloatArray keys, FloatArray values, IntArray blockIds,
                                        FloatArray out, int tokens, int nHead, int nKv, int headDim, int start,
                                        int window, float scale, float softcap) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int h = 0; h < nHead; h++) {
                int kvDim = nKv * headDim;
                long kvHead = (long) (h / (nHead / nKv)) * headDim;
                long qo = ((long) t * nHead + h) * headDim;
                int pos = start + t;
                int block = blockIds.get(pos);
                int last = block > 0 ? start + tokens - 1 : pos;
                float max = Float.intBitsToFloat(0xFF800000);
                float sum = 0.0f;
                for (int d = 0; d < headDim; d++) {
                    out.set(qo + d, 0.0f);
                }
                for (int key = 0; key <= last; key++) {
                    boolean visible = key <= pos && (window <= 0 || pos - key < window);
                    if (!visible && block > 0 && blockIds.get(key) == block) {
                        visible = true;
                    }
                    if (!visible) {
                        continue;
                    }
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
        }
    }

    static void attentionDecodeVec(FloatArray q, FloatArray keys, FloatArray values, FloatArray out,
                                   int nHead, int nKv, int headDim, int length, int window,
                                   float scale, float softcap, int from, int to) {
        float[] scores = new float[length];
        float[] acc = new float[headDim];
        int first = window > 0 ? Math.max(0, length - window) : 0;
        for (int h = from; h < to; h++) {
            long kvHead = (long) (h / (nHead / nKv)) * headDim;
            attend(q, (long) h * headDim, keys, values, kvHead, nKv * headDim, headDim,
                    first, length - 1, null, 0, length - 1, window, scale, softcap, scores, acc, out);
        }
    }

    static void attentionPrefillVec(FloatArray q, FloatArray keys, FloatArray values, IntArray blockIds,
                                    FloatArray out, int tokens, int nHead, int nKv, int headDim, int start,
                                    int window, float scale, float softcap, int from, int to) {
        float[] scores = new float[start + tokens];
        float[] acc = new float[headDim];
        for (int t = from; t < to; t++) {
            int pos = start + t;
            int block = blockIds.get(pos);
            int last = block > 0 ? start + tokens - 1 : pos;
            int first = block == 0 && window > 0 ? Math.max(0, pos - window + 1) : 0;
            for (int h = 0; h < nHead; h++) {
                long kvHead = (long) (h / (nHead / nKv)) * headDim;
                attend(q, ((long) t * nHead + h) * headDim, keys, values, kvHead, nKv * headDim, headDim,
                        first, last, block > 0 ? blockIds : null, block, pos, window, scale, softcap,
                        scores, acc, out);
            }
        }
    }

    /**
     * One query row against keys [first, last]: the masked scores go to {@code scores}, their
     * softmax weights the value rows into {@code acc}, and out[qo..qo+headDim) = acc / sum.
     * {@code blockIds} is null when the query is a text token.
     */
    private static void attend(FloatArray q, long qo, FloatArray keys, FloatArray values, long kvHead, int kvDim,
                               int headDim, int first, int last, IntArray blockIds, int block, int pos, int window,
                               float scale, float softcap, float[] scores, float[] acc, FloatArray out) {
        MemorySegment qs = q.segment();
        MemorySegment ks = keys.segment();
        MemorySegment vs = values.segment();
        float max = Float.NEGATIVE_INFINITY;
        for (int key = first; key <= last; key++) {
            boolean visible = key <= pos && (window <= 0 || pos - key < window);
            if (!visible && blockIds != null && blockIds.get(key) == block) {
                visible = true;
            }
            if (!visible) {
                scores[key] = Float.NEGATIVE_INFINITY;
                continue;
            }
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
        for (int key = first; key <= last; key++) {
            if (scores[key] == Float.NEGATIVE_INFINITY) {
                continue;
            }
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
