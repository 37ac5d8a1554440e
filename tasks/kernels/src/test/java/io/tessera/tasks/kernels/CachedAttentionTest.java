package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;

/**
 * Attention at positions read from an array, and the KV cache writes, against a naive
 * double-precision reference written from the definition (causal, sliding window, GQA, soft cap).
 */
class CachedAttentionTest {

    /** out for query row (head h at position pos), in double. */
    private static double[] reference(FloatArray q, long qo, FloatArray keys, FloatArray values, int h, int pos,
                                      int nHead, int nKv, int headDim, int window, double scale, double cap) {
        int kvDim = nKv * headDim;
        int kvHead = h / (nHead / nKv);
        double[] s = new double[pos + 1];
        boolean[] visible = new boolean[pos + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= pos; k++) {
            visible[k] = window <= 0 || pos - k < window;
            if (!visible[k]) {
                continue;
            }
            double dot = 0;
            for (int d = 0; d < headDim; d++) {
                dot += (double) q.get(qo + d) * keys.get((long) k * kvDim + kvHead * headDim + d);
            }
            s[k] = cap > 0 ? cap * Math.tanh(dot * scale / cap) : dot * scale;
            max = Math.max(max, s[k]);
        }
        double sum = 0;
        for (int k = 0; k <= pos; k++) {
            sum += visible[k] ? Math.exp(s[k] - max) : 0;
        }
        double[] out = new double[headDim];
        for (int k = 0; k <= pos; k++) {
            if (visible[k]) {
                double p = Math.exp(s[k] - max) / sum;
                for (int d = 0; d < headDim; d++) {
                    out[d] += p * values.get((long) k * kvDim + kvHead * headDim + d);
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "tokens {0} heads {1}/{2} headDim {3} start {4} window {5} cap {6}")
    @CsvSource({"5, 4, 2, 16, 0, 0, 0", "7, 4, 1, 32, 9, 4, 0", "3, 2, 2, 8, 20, 0, 50", "6, 8, 2, 24, 3, 5, 30"})
    void prefillAndDecodeMatchTheDefinition(int tokens, int nHead, int nKv, int headDim, int start, int window,
                                            float cap) {
        SplittableRandom rnd = TestArrays.random(tokens * 31L + nHead + window);
        int kvDim = nKv * headDim;
        int length = start + tokens;
        FloatArray keys = FloatArray.allocate((long) length * kvDim);
        FloatArray values = FloatArray.allocate((long) length * kvDim);
        FloatArray earlierK = TestArrays.floats(rnd, (long) start * kvDim, 1);
        FloatArray earlierV = TestArrays.floats(rnd, (long) start * kvDim, 1);
        FloatArray tileK = TestArrays.floats(rnd, (long) tokens * kvDim, 1);
        FloatArray tileV = TestArrays.floats(rnd, (long) tokens * kvDim, 1);
        int[] before = new int[start];
        for (int i = 0; i < start; i++) {
            before[i] = i;
        }
        KvCache.store(earlierK, IntArray.of(before), keys, start, kvDim);
        KvCache.store(earlierV, IntArray.of(before), values, start, kvDim);
        int[] pos = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            pos[t] = start + t;
        }
        IntArray positions = IntArray.of(pos);
        KvCache.store(tileK, positions, keys, tokens, kvDim);
        KvCache.store(tileV, positions, values, tokens, kvDim);
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < kvDim; j++) {
                assertThat(keys.get((long) (start + t) * kvDim + j)).isEqualTo(tileK.get((long) t * kvDim + j));
            }
        }
        FloatArray q = TestArrays.floats(rnd, (long) tokens * nHead * headDim, 1);
        float scale = (float) (1 / Math.sqrt(headDim));
        double[] expected = new double[tokens * nHead * headDim];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < nHead; h++) {
                long qo = ((long) t * nHead + h) * headDim;
                System.arraycopy(reference(q, qo, keys, values, h, start + t, nHead, nKv, headDim, window, scale, cap),
                        0, expected, (int) qo, headDim);
            }
        }
        FloatArray plain = FloatArray.allocate(expected.length);
        CachedAttention.prefill(q, keys, values, positions, plain, tokens, nHead, nKv, headDim, window, scale, cap);
        assertThat(TestArrays.nmse(expected, plain)).isLessThan(1e-10);
        FloatArray vec = FloatArray.allocate(expected.length);
        int[] cuts = TestArrays.cuts(tokens);
        for (int c = 0; c + 1 < cuts.length; c++) {
            CachedAttention.prefillVec(q, keys, values, positions, vec, tokens, nHead, nKv, headDim, window, scale,
                    cap, cuts[c], cuts[c + 1]);
        }
        assertThat(TestArrays.nmse(expected, vec)).isLessThan(1e-10);

        // decode: the last row of the tile as a single query
        FloatArray lastQ = FloatArray.allocate((long) nHead * headDim);
        double[] lastExpected = new double[nHead * headDim];
        long base = (long) (tokens - 1) * nHead * headDim;
        for (int i = 0; i < nHead * headDim; i++) {
            lastQ.set(i, q.get(base + i));
            lastExpected[i] = expected[(int) base + i];
        }
        IntArray last = IntArray.of(length - 1);
        FloatArray one = FloatArray.allocate((long) nHead * headDim);
        CachedAttention.decode(lastQ, keys, values, last, one, nHead, nKv, headDim, window, scale, cap);
        assertThat(TestArrays.nmse(lastExpected, one)).isLessThan(1e-10);
        FloatArray oneVec = FloatArray.allocate((long) nHead * headDim);
        CachedAttention.decodeVec(lastQ, keys, values, last, oneVec, nHead, nKv, headDim, window, scale, cap, 0, 1);
        CachedAttention.decodeVec(lastQ, keys, values, last, oneVec, nHead, nKv, headDim, window, scale, cap, 1, nHead);
        assertThat(TestArrays.nmse(lastExpected, oneVec)).isLessThan(1e-10);
    }

    @ParameterizedTest(name = "row {0}")
    @CsvSource({"0", "2", "4"})
    void gatherRowCopiesOneRow(int row) {
        FloatArray src = TestArrays.floats(TestArrays.random(row), 5 * 7, 1);
        FloatArray dst = FloatArray.allocate(7);
        KvCache.gatherRow(src, IntArray.of(row), dst, 7);
        for (int j = 0; j < 7; j++) {
            assertThat(dst.get(j)).isEqualTo(src.get(row * 7L + j));
        }
    }
}
